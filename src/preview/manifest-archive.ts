import { createHash } from 'node:crypto';
import { zstdDecompressSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { readMetadata } from '../backup/check.js';
import { artifactKey, type BackupLocation } from '../backup/layout.js';
import type { BackupMetadata } from '../backup/metadata.js';
import { readBytes } from '../backup/s3-objects.js';
import { describeError } from '../util/errors.js';
import { readTarFiles, TarReadError } from './tar-reader.js';

export class PreviewError extends Error {
  override name = 'PreviewError';
}

export interface ManifestFile {
  /** The path inside manifests.tar.zst, as restore.sh names it in its errors. */
  file: string;
  text: string;
}

/** What restore.sh reads: .json, .yaml and .yml files (case as given), in byte order of their paths. */
const MANIFEST_NAME = /\.(json|ya?ml)$/;

/** Most bytes the manifests archive may expand to here: manifests are small, a zstd bomb is cut off. */
const EXPANSION_CAP = 256 * 1024 * 1024;

/**
 * A backup's manifests, read the way the runner reads them: metadata.json, then manifests.tar.zst
 * downloaded and checked against its declared size and sha256 before a byte of it is used, then
 * decompressed (capped, as restore.sh caps it) and its manifest files taken.
 */
export async function readBackupManifests(
  s3: S3Client,
  backup: BackupLocation,
): Promise<{ metadata: BackupMetadata; files: ManifestFile[] }> {
  const read = await readMetadata(s3, backup);
  if (read.kind === 'failed') throw new PreviewError(`${read.reason}: ${read.message}`);
  const declared = read.metadata.artifacts['manifests.tar.zst'];
  if (!declared) throw new PreviewError('metadata_invalid: metadata.json lacks manifests.tar.zst');
  const key = artifactKey(backup, 'manifests.tar.zst');
  let body: Buffer;
  try {
    body = await readBytes(s3, backup.bucket, key);
  } catch (error) {
    throw new PreviewError(`cannot download s3://${backup.bucket}/${key}: ${describeError(error)}`);
  }
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (body.length !== declared.bytes || sha256 !== declared.sha256)
    throw new PreviewError(
      `integrity_failed: manifests.tar.zst is ${body.length} bytes, sha256 ${sha256}; metadata.json declares ${declared.bytes} bytes, sha256 ${declared.sha256}`,
    );
  const cap = EXPANSION_CAP;
  let archive: Buffer;
  try {
    archive = zstdDecompressSync(body, { maxOutputLength: cap });
  } catch (error) {
    throw new PreviewError(
      `manifests.tar.zst does not decompress within ${cap} bytes: ${describeError(error)}`,
    );
  }
  return { metadata: read.metadata, files: manifestFiles(archive) };
}

export function manifestFiles(archive: Buffer): ManifestFile[] {
  let entries: ReturnType<typeof readTarFiles>;
  try {
    entries = readTarFiles(archive);
  } catch (error) {
    if (error instanceof TarReadError) throw new PreviewError(`manifests.tar.zst: ${error.message}`);
    throw error;
  }
  const files = entries
    .filter((entry) => MANIFEST_NAME.test(entry.name))
    .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
    .map((entry) => ({ file: entry.name, text: entry.body.toString('utf8') }));
  if (files.length === 0) throw new PreviewError('manifests.tar.zst holds no .yaml, .yml or .json files');
  return files;
}
