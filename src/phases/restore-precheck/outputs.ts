import { z } from 'zod';
import { jsonArray, s3Reads, stringList } from '../output-fields.js';
import { BACKUP_AGE_METRIC } from './inputs.js';

export const RestorePrecheckOutputs = z.object({
  'backup-id': z.string().describe('backup_id from metadata.json'),
  'backup-uri': z.string().describe('Normalised s3:// URI of the backup folder chosen'),
  'backup-created-utc': z.string().describe('created_utc from metadata.json (ISO-8601, UTC)'),
  'backup-age-hours': z.number().describe('Backup age in hours at check time (the RPO)'),
  integrity: jsonArray.describe('JSON array: each object key, sizes, checksum source and result'),
  candidates: jsonArray.describe(
    'JSON array: every backup looked at, newest first, with its verdict and why',
  ),
  'state-marker': z
    .string()
    .describe("The state archive's marker from metadata.json ('' when the producer wrote none)"),
  'state-claim': z
    .string()
    .describe("The claim the workloads mount their state from, from metadata.json ('' when not recorded)"),
  'image-digests': stringList.describe('JSON array: digest-pinned images the backed-up manifests reference'),
  's3-reads': s3Reads.describe(
    'JSON object: the S3 requests this phase made (get_requests, head_requests, list_requests) and the bytes GetObject returned (priced in the drill cost)',
  ),
  'metric-published': z.boolean().describe(`age-metric: true when ${BACKUP_AGE_METRIC} was published`),
});
export type RestorePrecheckOutput = z.output<typeof RestorePrecheckOutputs>;
