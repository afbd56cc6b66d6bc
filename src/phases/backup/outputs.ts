import { z } from 'zod';
import { jsonObject, stringList } from '../output-fields.js';

export const BackupOutputs = z.object({
  'backup-id': z.string().describe('The backup id written'),
  'backup-uri': z.string().describe('s3:// URI of the backup folder'),
  'backup-created-utc': z.string().describe('created_utc recorded in metadata.json'),
  artifacts: jsonObject.describe('JSON: per artifact bytes, sha256, upload method and parts'),
  'metadata-sha256': z.string().describe('sha256 of the metadata.json written'),
  'state-marker': z.string().describe("The state archive's marker (validate checks a job reads it)"),
  'image-digests': stringList.describe('JSON array: digest-pinned images the manifests reference'),
  'unpinned-images': stringList.describe(
    'JSON array: images the manifests name by tag (not restorable exactly)',
  ),
  'manifest-objects': z.number().describe('Number of Kubernetes objects in manifests.tar.zst'),
});
export type BackupOutput = z.output<typeof BackupOutputs>;
