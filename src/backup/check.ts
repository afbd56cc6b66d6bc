import type { S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../util/concurrency.js';
import { awsErrorCode, describeError, isTransientError } from '../util/errors.js';
import { artifactKey, type BackupLocation, METADATA_FILE } from './layout.js';
import { type ArtifactSpec, type BackupMetadata, MetadataError } from './metadata.js';
import { readBytes } from './s3-objects.js';
import { type ArtifactCheck, verifyArtifact } from './verify.js';

export type MetadataRead =
  /** `bytes`: metadata.json exactly as stored, what its signature (metadata.json.sig) covers. */
  | { kind: 'ok'; metadata: BackupMetadata; bytes: Buffer }
  | {
      kind: 'failed';
      reason: 'backup_missing' | 'backup_unreadable' | 'backup_unavailable' | 'metadata_invalid';
      message: string;
    };

/** Reads and parses one backup's metadata.json; every way it can fail is a reason, never a throw. */
export async function readMetadata(s3: S3Client, backup: BackupLocation): Promise<MetadataRead> {
  const key = artifactKey(backup, METADATA_FILE);
  let bytes: Buffer;
  try {
    bytes = await readBytes(s3, backup.bucket, key);
  } catch (error) {
    if (awsErrorCode(error).name === 'NoSuchKey')
      return {
        kind: 'failed',
        reason: 'backup_missing',
        message: `s3://${backup.bucket}/${key} does not exist`,
      };
    // S3 not answering (after the SDK's retries) says nothing about the backup: unknown, not broken.
    return {
      kind: 'failed',
      reason: isTransientError(error) ? 'backup_unavailable' : 'backup_unreadable',
      message: `cannot read metadata.json: ${describeError(error)}`,
    };
  }
  // metadata.json's schema (zod) loads with the first metadata read, not as a phase starts (issue 24.4).
  const { parseMetadata } = await import('./metadata-schema.js');
  try {
    return { kind: 'ok', metadata: parseMetadata(bytes.toString('utf8'), backup.backupId), bytes };
  } catch (error) {
    if (error instanceof MetadataError)
      return { kind: 'failed', reason: 'metadata_invalid', message: error.message };
    throw error;
  }
}

/** What a verification problem means: proven wrong, or not known right now. */
export type VerifyProblemReason =
  | 'backup_missing'
  | 'integrity_failed'
  | 'backup_unavailable'
  | 'backup_unreadable';

/**
 * The reason for a set of artifact checks that are not all ok. Only a proof (missing, size or checksum
 * mismatch) is `integrity_failed` (or `backup_missing` when every bad artifact is missing); an artifact S3
 * did not answer for is `backup_unavailable`, one it refused to show is `backup_unreadable` (issue 19.7).
 */
export function problemReason(checks: ArtifactCheck[]): VerifyProblemReason | undefined {
  const proven = checks.filter((c) => ['missing', 'size_mismatch', 'checksum_mismatch'].includes(c.result));
  if (proven.length > 0)
    return proven.every((c) => c.result === 'missing') ? 'backup_missing' : 'integrity_failed';
  if (checks.some((c) => c.result === 'unavailable')) return 'backup_unavailable';
  if (checks.some((c) => c.result === 'error')) return 'backup_unreadable';
  return undefined;
}

/** Every artifact metadata.json lists: present, declared size, and the cheapest real proof of its bytes. */
export async function verifyBackup(
  s3: S3Client,
  backup: BackupLocation,
  metadata: BackupMetadata,
  concurrency: number,
): Promise<{
  checks: ArtifactCheck[];
  problem?: { message: string; reason: VerifyProblemReason };
}> {
  const names = Object.keys(metadata.artifacts).sort();
  const checks = await mapWithConcurrency(names, concurrency, (name) =>
    verifyArtifact(
      s3,
      backup.bucket,
      artifactKey(backup, name),
      name,
      metadata.artifacts[name] as ArtifactSpec,
    ),
  );
  const reason = problemReason(checks);
  if (!reason) return { checks };
  const bad = checks.filter((check) => check.result !== 'ok');
  return {
    checks,
    problem: {
      message: bad.map((check) => `${check.name}: ${check.result} (${check.detail})`).join('; '),
      reason,
    },
  };
}
