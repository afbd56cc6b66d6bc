import { createHash } from 'node:crypto';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { decideIntegrity } from '../backup/integrity.js';
import { headArtifact, streamSha256 } from '../backup/s3-objects.js';
import { awsErrorCode, isTransientError } from '../util/errors.js';

/**
 * Write-once objects: the one mechanism for every object standby must never replace (receipts, their
 * sequence claims, every object of a backup).
 *
 * The write carries `If-None-Match: *` (PutObject, or CompleteMultipartUpload for a multipart upload), so
 * S3 itself refuses to replace an existing key with 412 Precondition Failed
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). A 412 does not prove
 * someone else wrote the key: when S3 stored our object and the response was lost, the SDK retries the
 * same request and gets 412 for our own object. So after a 412 the stored object is compared with what we
 * meant to write: the same content is our write (done), anything else belongs to another writer.
 * A 409 ConditionalRequestConflict (a concurrent write to the same key was in flight) means "try again":
 * the retry then succeeds or gets a 412 that is decided as above. The condition is also what makes it
 * safe to retry a write the SDK does not retry itself (a streamed body after a dropped connection): the
 * retry writes, or gets 412 and is decided by content.
 */

/** What the object must hold, as sha256 (hex) plus, for multipart uploads, the full-object CRC64NVME. */
export interface ObjectContent {
  bytes: number;
  sha256: string;
  /** base64 full-object CRC64NVME, when the upload stored one instead of a full-object SHA256. */
  crc64nvme?: string;
}

export type WriteOnceResult =
  | { kind: 'written' }
  /** The key already held exactly this content: our own write whose response was lost (or an identical copy). */
  | { kind: 'same' }
  /** The key holds another writer's object; it was left as it is. */
  | { kind: 'taken'; detail: string };

/** The conditional write itself; it must send `If-None-Match: *` (the condition it is handed). */
export type ConditionalWrite = (condition: { IfNoneMatch: '*' }) => Promise<unknown>;

/** Writes per object before giving up on 409 conflicts, transient errors or a key that keeps vanishing after a 412. */
const MAX_TRIES = 5;
const TRANSIENT_RETRIES = 2;

export function isPreconditionFailed(error: unknown): boolean {
  const { name, status } = awsErrorCode(error);
  return status === 412 || name === 'PreconditionFailed';
}

function isConditionalConflict(error: unknown): boolean {
  const { name, status } = awsErrorCode(error);
  return status === 409 || name === 'ConditionalRequestConflict';
}

/**
 * The content to compare with, or a function that works it out when first needed (a multipart upload's
 * full-object CRC64NVME is joined from its parts' CRCs as they go up: only a key that already holds an
 * object makes it worth a pass over the file before then).
 */
export type ContentToCompare = ObjectContent | (() => Promise<ObjectContent>);

/**
 * Is the stored object the given content? Proven the cheapest sound way (decideIntegrity: S3's stored
 * full-object checksum, else a streamed sha256). `missing` when the key is gone; a read error throws:
 * an object that cannot be read is not proof of anything, so the caller fails rather than guesses.
 */
export async function storedContent(
  s3: S3Client,
  bucket: string,
  key: string,
  content: ContentToCompare,
): Promise<{ kind: 'same' } | { kind: 'different'; detail: string } | { kind: 'missing' }> {
  const head = await headArtifact(s3, bucket, key);
  if (head.kind === 'missing') return { kind: 'missing' };
  if (head.kind === 'error') throw new Error(`cannot read back s3://${bucket}/${key}: ${head.detail}`);
  const wanted = typeof content === 'function' ? await content() : content;
  let decision = decideIntegrity(wanted, head);
  if (decision.kind === 'stream') {
    const streamed = await streamSha256(s3, bucket, key);
    decision =
      streamed.sha256 === wanted.sha256
        ? { kind: 'verified', source: 'streamed-sha256', sha256: streamed.sha256 }
        : { kind: 'mismatch', source: 'streamed-sha256', sha256: streamed.sha256, detail: '' };
  }
  if (decision.kind === 'verified') return { kind: 'same' };
  const detail =
    decision.kind === 'size-mismatch' ? decision.detail : 'it holds different bytes (checksum differs)';
  return { kind: 'different', detail };
}

/**
 * Writes one object only if its key is free; never replaces an existing object. `checkFirst` reads the
 * key before writing (a HEAD), so a large upload to a taken key is refused before any byte is sent.
 */
export async function writeOnce(
  s3: S3Client,
  target: { bucket: string; key: string },
  content: ContentToCompare,
  write: ConditionalWrite,
  options: { checkFirst?: boolean } = {},
): Promise<WriteOnceResult> {
  const { bucket, key } = target;
  const uri = `s3://${bucket}/${key}`;
  const readBack = async (): Promise<WriteOnceResult | undefined> => {
    const stored = await storedContent(s3, bucket, key, content);
    if (stored.kind === 'same') return { kind: 'same' };
    if (stored.kind === 'different')
      return { kind: 'taken', detail: `${uri} already exists: ${stored.detail}` };
    return undefined; // deleted in between: the key is free again
  };
  if (options.checkFirst) {
    const existing = await readBack();
    if (existing) return existing;
  }
  let transient = 0;
  for (let tries = 1; ; tries++) {
    try {
      await write({ IfNoneMatch: '*' });
      return { kind: 'written' };
    } catch (error) {
      const again = tries < MAX_TRIES;
      // The SDK has retried transient errors already, except for streamed bodies: a few more, not many.
      const retry =
        isConditionalConflict(error) || (isTransientError(error) && ++transient <= TRANSIENT_RETRIES);
      if (retry && again) {
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** tries));
        continue;
      }
      if (!isPreconditionFailed(error)) throw error;
    }
    const decided = await readBack();
    if (decided) return decided;
    if (tries >= MAX_TRIES)
      throw new Error(`${uri}: S3 refused the write (412) but no object is there, ${MAX_TRIES} times`);
  }
}

/**
 * writeOnce for a small JSON document held in memory (a receipt, a sequence claim, metadata.json): one
 * PutObject with its SHA256 for S3 to check, plus whatever else the caller's object needs (encryption).
 */
export async function putJsonOnce(
  s3: S3Client,
  target: { bucket: string; key: string },
  body: Buffer,
  extra: Partial<Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'>> = {},
): Promise<{ result: WriteOnceResult; sha256: string }> {
  const sha256 = createHash('sha256').update(body).digest('hex');
  const result = await writeOnce(s3, target, { bytes: body.length, sha256 }, (condition) =>
    s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: body,
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        ...extra,
        ...condition,
      }),
    ),
  );
  return { result, sha256 };
}
