import type { S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../util/concurrency.js';
import { awsErrorCode, describeError } from '../util/errors.js';
import { artifactKey, type BackupLocation, METADATA_FILE } from './layout.js';
import { type ArtifactSpec, type BackupMetadata, MetadataError, parseMetadata } from './metadata.js';
import { readText } from './s3-objects.js';
import { type ArtifactCheck, verifyArtifact } from './verify.js';

export type MetadataRead =
  | { kind: 'ok'; metadata: BackupMetadata }
  | { kind: 'failed'; reason: 'backup_missing' | 'backup_unreadable' | 'metadata_invalid'; message: string };

/** Reads and parses one backup's metadata.json; every way it can fail is a reason, never a throw. */
export async function readMetadata(s3: S3Client, backup: BackupLocation): Promise<MetadataRead> {
  const key = artifactKey(backup, METADATA_FILE);
  let text: string;
  try {
    text = await readText(s3, backup.bucket, key);
  } catch (error) {
    const missing = awsErrorCode(error).name === 'NoSuchKey';
    return missing
      ? { kind: 'failed', reason: 'backup_missing', message: `s3://${backup.bucket}/${key} does not exist` }
      : {
          kind: 'failed',
          reason: 'backup_unreadable',
          message: `cannot read metadata.json: ${describeError(error)}`,
        };
  }
  try {
    return { kind: 'ok', metadata: parseMetadata(text, backup.backupId) };
  } catch (error) {
    if (error instanceof MetadataError)
      return { kind: 'failed', reason: 'metadata_invalid', message: error.message };
    throw error;
  }
}

/** Every artifact metadata.json lists: present, declared size, and the cheapest real proof of its bytes. */
export async function verifyBackup(
  s3: S3Client,
  backup: BackupLocation,
  metadata: BackupMetadata,
  concurrency: number,
): Promise<{
  checks: ArtifactCheck[];
  problem?: { message: string; reason: 'backup_missing' | 'integrity_failed' };
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
  const bad = checks.filter((check) => check.result !== 'ok');
  if (bad.length === 0) return { checks };
  return {
    checks,
    problem: {
      message: bad.map((check) => `${check.name}: ${check.result} (${check.detail})`).join('; '),
      reason: bad.every((check) => check.result === 'missing') ? 'backup_missing' : 'integrity_failed',
    },
  };
}
