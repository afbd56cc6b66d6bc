import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { deadBufferCollector } from '../util/dead-buffers.js';
import { awsErrorCode, describeError, isTransientError } from '../util/errors.js';
import type { StoredObject } from './integrity.js';

export type HeadResult =
  | ({ kind: 'found' } & StoredObject)
  | { kind: 'missing' }
  /** `transient`: 5xx, throttling or a timeout after the SDK's retries: unknown, not absent or bad. */
  | { kind: 'error'; detail: string; transient: boolean };

/** S3's ways of saying a key does not exist (HeadObject answers a bare 404 NotFound). */
export function isNotFound(error: unknown): boolean {
  const { name, status } = awsErrorCode(error);
  return name === 'NotFound' || name === 'NoSuchKey' || status === 404;
}

/** HeadObject with ChecksumMode ENABLED: size and any stored checksum, without downloading a byte. */
export async function headArtifact(s3: S3Client, bucket: string, key: string): Promise<HeadResult> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    return {
      kind: 'found',
      size: head.ContentLength ?? -1,
      checksumSha256: head.ChecksumSHA256,
      checksumCrc64nvme: head.ChecksumCRC64NVME,
      checksumType: head.ChecksumType,
      etag: head.ETag,
    };
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    // HEAD answers have no body: the SDK can only name the error by its HTTP status.
    const { status } = awsErrorCode(error);
    const hint =
      status === 403
        ? ' (S3 answers 403 for a missing key when s3:ListBucket is not granted)'
        : status
          ? ` (HTTP ${status})`
          : '';
    return { kind: 'error', detail: `${describeError(error)}${hint}`, transient: isTransientError(error) };
  }
}

/** An object's exact bytes (metadata.json, metadata.json.sig: small objects whose bytes are signed). */
export async function readBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
}

/** sha256 of an object, hashed chunk by chunk as it streams: memory stays flat whatever the size. */
export async function streamSha256(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ sha256: string; bytes: number }> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  const streamed = deadBufferCollector();
  let bytes = 0;
  await pipeline(response.Body as Readable, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      bytes += chunk.length;
      hash.update(chunk);
      streamed(chunk.length);
    }
  });
  return { sha256: hash.digest('hex'), bytes };
}
