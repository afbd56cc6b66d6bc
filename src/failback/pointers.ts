import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsErrorCode, describeError } from '../util/errors.js';
import type { PointerTarget } from './layout.js';
import { type CapturedPointer, sha256Hex } from './plan.js';

/** Reads one pointer with the ETag and VersionId of exactly the bytes read (one GetObject, no race). */
export async function capturePointer(
  s3: S3Client,
  bucket: string,
  target: PointerTarget,
): Promise<CapturedPointer> {
  let response: GetObjectCommandOutput;
  try {
    response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: target.key }));
  } catch (error) {
    const { name } = awsErrorCode(error);
    const problem = name === 'NoSuchKey' ? 'pointer is missing' : `cannot read: ${describeError(error)}`;
    return { ...target, problem };
  }
  const body = Buffer.from(
    await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const captured: CapturedPointer = {
    ...target,
    etag: response.ETag,
    versionId: response.VersionId,
    contentType: response.ContentType,
    body,
    sha256: sha256Hex(body),
  };
  try {
    const content: unknown = JSON.parse(body.toString('utf8'));
    if (content === null || typeof content !== 'object' || Array.isArray(content))
      return { ...captured, problem: 'pointer is not a JSON object' };
    const runId = (content as Record<string, unknown>).run_id;
    if (typeof runId !== 'string') return { ...captured, problem: 'pointer has no string run_id' };
    return { ...captured, content: content as Record<string, unknown>, runId };
  } catch {
    return { ...captured, problem: 'pointer is not valid JSON' };
  }
}

export type ConditionalWrite =
  | { ok: true; etag: string; versionId?: string }
  | { ok: false; conflict: boolean; error: string };

/**
 * PutObject with If-Match: S3 writes only while the object still has `ifMatch` as its ETag, and
 * answers 412 PreconditionFailed (or 404 NoSuchKey when it was deleted) otherwise. A `conflict`
 * means someone else changed the pointer; it is never retried.
 */
export async function writeIfMatch(
  s3: S3Client,
  write: { bucket: string; key: string; body: Buffer | string; ifMatch: string; contentType?: string },
): Promise<ConditionalWrite> {
  try {
    const response = await s3.send(
      new PutObjectCommand({
        Bucket: write.bucket,
        Key: write.key,
        Body: typeof write.body === 'string' ? Buffer.from(write.body) : write.body,
        IfMatch: write.ifMatch,
        ContentType: write.contentType ?? 'application/json',
      }),
    );
    return { ok: true, etag: response.ETag ?? '', versionId: response.VersionId };
  } catch (error) {
    const { name, status } = awsErrorCode(error);
    const conflict =
      status === 412 || status === 404 || name === 'PreconditionFailed' || name === 'NoSuchKey';
    return { ok: false, conflict, error: describeError(error) };
  }
}
