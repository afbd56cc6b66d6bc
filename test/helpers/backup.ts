import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ensureBucket } from '../../src/local/demo-publisher.js';

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface SeededBackup {
  bucket: string;
  uri: string;
  folder: string;
  artifacts: Record<string, Buffer>;
  metadata: Record<string, unknown>;
}

/**
 * Puts a backup in the emulator the way a producer would: artifacts (by default with a stored SHA256
 * checksum) and a metadata.json describing them. Options corrupt one piece at a time for bad-input tests.
 */
export async function seedBackup(
  s3: S3Client,
  options: {
    createdUtc?: string;
    storedChecksum?: boolean;
    artifacts?: Record<string, Buffer>;
    metadata?: (m: Record<string, unknown>) => unknown;
    metadataText?: string;
    upload?: (name: string, body: Buffer) => Buffer | undefined;
  } = {},
): Promise<SeededBackup> {
  const bucket = 'backups';
  const folder = 'batch/backups/bk-20261122';
  await ensureBucket(s3, bucket);
  const artifacts = options.artifacts ?? {
    'state.tar.zst': Buffer.from('state archive bytes '.repeat(100)),
    'manifests.tar.zst': Buffer.from('manifest archive bytes '.repeat(50)),
  };
  const declared = Object.fromEntries(
    Object.entries(artifacts).map(([name, body]) => [name, { bytes: body.length, sha256: sha256(body) }]),
  );
  let metadata: Record<string, unknown> = {
    backup_id: 'bk-20261122',
    created_utc: options.createdUtc ?? '2026-11-22T00:00:00Z',
    artifacts: declared,
  };
  if (options.metadata) metadata = options.metadata(metadata) as Record<string, unknown>;
  for (const [name, body] of Object.entries(artifacts)) {
    const stored = options.upload ? options.upload(name, body) : body;
    if (stored === undefined) continue;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${folder}/${name}`,
        Body: stored,
        ...(options.storedChecksum === false ? {} : { ChecksumAlgorithm: 'SHA256' }),
      }),
    );
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${folder}/metadata.json`,
      Body: options.metadataText ?? JSON.stringify(metadata),
    }),
  );
  return { bucket, uri: `s3://${bucket}/${folder}`, folder, artifacts, metadata };
}
