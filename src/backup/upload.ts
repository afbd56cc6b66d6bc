import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type ConditionalWrite, type WriteOnceResult, writeOnce } from '../aws/s3-write-once.js';
import { mapWithConcurrency } from '../util/concurrency.js';
import { deadBufferCollector } from '../util/dead-buffers.js';
import { Crc64Nvme } from './crc64nvme.js';
import { joinCrc64Nvme } from './crc64nvme-combine.js';

const MIB = 1024 * 1024;
/** S3 limits (docs/restore.md): one PUT up to 5 GiB; parts of 5 MiB to 5 GiB; at most 10,000 parts. */
export const S3_LIMITS = {
  singlePutMax: 5 * 1024 * MIB,
  partMin: 5 * MIB,
  partMax: 5 * 1024 * MIB,
  maxParts: 10_000,
};

export interface UploadSettings {
  /** Artifacts up to this size go up in one PUT with a SHA256 checksum (precheck proves them for free). */
  singlePartMaxBytes: number;
  partSizeBytes: number;
  /** Parts uploaded at once (default PARTS_IN_FLIGHT): bounded, each part streamed from the file. */
  partsInFlight?: number;
  /** SSE-KMS key id or ARN; absent: the bucket's default encryption applies. */
  kmsKeyId?: string;
  onProgress?: (sentBytes: number) => void;
}

/**
 * Parts in flight by default: a few requests keep the link busy while one waits on S3, and each streams
 * its range from the file, so memory stays at a few read buffers whatever the part size (docs/benchmarks.md).
 */
export const PARTS_IN_FLIGHT = 4;

export interface UploadedArtifact {
  method: 'single-part' | 'multipart';
  /** The full-object checksum S3 stored: SHA256 (single part) or CRC64NVME (multipart), base64. */
  checksum: { algorithm: 'SHA256' | 'CRC64NVME'; value: string };
  parts: number;
  /** Written now, already there with the same bytes (a retried write), or taken by another writer. */
  write: WriteOnceResult;
}

/** SSE-KMS request fields for a key, or none (the bucket's default encryption applies). */
export function encryption(kmsKeyId?: string) {
  return kmsKeyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: kmsKeyId } : {};
}

/** A file range as an upload body that reports bytes as they leave. */
function body(file: string, start: number, end: number, counted: (n: number) => void) {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counted(chunk.length);
      done(null, chunk);
    },
  });
  return createReadStream(file, { start, end, highWaterMark: MIB }).pipe(counter);
}

/** The part size actually used: at least the setting and S3's minimum, enough to stay within 10,000 parts. */
export function partSizeFor(bytes: number, wanted: number): number {
  const needed = Math.ceil(bytes / S3_LIMITS.maxParts / MIB) * MIB;
  return Math.min(S3_LIMITS.partMax, Math.max(S3_LIMITS.partMin, wanted, needed));
}

/** The parts of a multipart upload: each one's first byte and length, in part order. */
function partRanges(bytes: number, partSize: number): { start: number; bytes: number }[] {
  return Array.from({ length: Math.ceil(bytes / partSize) }, (_, index) => {
    const start = index * partSize;
    return { start, bytes: Math.min(partSize, bytes - start) };
  });
}

/**
 * CRC64NVME (base64) of the bytes start..end (inclusive) of a file, read into one reused buffer: no new
 * Buffer per read, so nothing for the dead-buffer collector to count or free (docs/benchmarks.md).
 */
async function crcOfRange(file: string, range: { start: number; end: number }): Promise<string> {
  const { start, end } = range;
  const crc = new Crc64Nvme();
  if (end < start) return crc.base64();
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(MIB, end - start + 1));
    for (let position = start; position <= end; ) {
      const want = Math.min(buffer.length, end + 1 - position);
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) throw new Error(`${file} ended at byte ${position}, before byte ${end + 1}`);
      crc.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return crc.base64();
}

/**
 * Uploads one artifact file, write-once (src/aws/s3-write-once.ts): an existing object at the key is never
 * replaced, and the result says when the key was taken by another writer. Up to `singlePartMaxBytes`: one
 * PutObject carrying the file's SHA256, which S3 verifies on arrival and keeps as a FULL_OBJECT checksum.
 * Larger: a multipart upload with CRC64NVME and ChecksumType FULL_OBJECT (S3's SHA256 of a multipart
 * upload would be a composite nobody can compare with a file hash); S3 checks every part and the whole
 * object against the CRCs computed here, and CompleteMultipartUpload carries the If-None-Match condition.
 * Each part's CRC is computed by the worker that sends it, just before it sends it, and the full-object
 * CRC is joined from the parts' CRCs (src/backup/crc64nvme-combine.ts): no pass over the whole file
 * holds up the first part, and with parts in flight the checksumming overlaps the sending.
 */
export async function uploadArtifact(
  s3: S3Client,
  target: { bucket: string; key: string; file: string; bytes: number; sha256: string },
  settings: UploadSettings,
): Promise<UploadedArtifact> {
  let sent = 0;
  // Every piece the send path reads from the file is a new Buffer, dead once the socket took it: collected
  // every few MiB (one collector for all parts, so its major collections come too), or a fast upload holds
  // tens of MiB of them (src/util/dead-buffers.ts; docs/benchmarks.md). The CRC reads reuse one buffer.
  const streamed = deadBufferCollector();
  const counted = (n: number) => {
    sent += n;
    streamed(n);
    settings.onProgress?.(sent);
  };
  const where = { bucket: target.bucket, key: target.key };
  if (target.bytes <= Math.min(settings.singlePartMaxBytes, S3_LIMITS.singlePutMax)) {
    const sha256 = Buffer.from(target.sha256, 'hex').toString('base64');
    const put: ConditionalWrite = (condition) =>
      s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          Body: body(target.file, 0, Math.max(0, target.bytes - 1), counted),
          ContentLength: target.bytes,
          ContentType: 'application/zstd',
          // The algorithm and its precomputed value: the SDK sends ours instead of hashing the stream again.
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: sha256,
          ...encryption(settings.kmsKeyId),
          ...condition,
        }),
      );
    const write = await writeOnce(s3, where, { bytes: target.bytes, sha256: target.sha256 }, put);
    return { method: 'single-part', checksum: { algorithm: 'SHA256', value: sha256 }, parts: 1, write };
  }
  const partSize = partSizeFor(target.bytes, settings.partSizeBytes);
  // Set once the parts' CRCs are joined; worked out from the file only if a taken key must be compared first.
  const crc: { whole?: string } = {};
  const wholeCrc = async () => {
    crc.whole ??= await crcOfRange(target.file, { start: 0, end: target.bytes - 1 });
    return crc.whole;
  };
  const write = await writeOnce(
    s3,
    where,
    async () => ({ bytes: target.bytes, sha256: target.sha256, crc64nvme: await wholeCrc() }),
    (condition) => uploadMultipart(s3, target, settings, counted, { partSize, crc, condition }),
    // Many parts are a lot to send to a key that is already taken: look first (the condition still decides).
    { checkFirst: true },
  );
  return {
    method: 'multipart',
    checksum: { algorithm: 'CRC64NVME', value: await wholeCrc() },
    parts: partRanges(target.bytes, partSize).length,
    write,
  };
}

/** One multipart upload; CompleteMultipartUpload carries the write-once condition. */
async function uploadMultipart(
  s3: S3Client,
  target: { bucket: string; key: string; file: string; bytes: number },
  settings: UploadSettings,
  counted: (n: number) => void,
  plan: {
    partSize: number;
    crc: { whole?: string };
    condition: { IfNoneMatch: '*' };
  },
): Promise<void> {
  const { partSize } = plan;
  const ranges = partRanges(target.bytes, partSize);
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: target.bucket,
      Key: target.key,
      ContentType: 'application/zstd',
      ChecksumAlgorithm: 'CRC64NVME',
      ChecksumType: 'FULL_OBJECT',
      ...encryption(settings.kmsKeyId),
    }),
  );
  try {
    // Parts go up concurrently (bounded), each with its CRC; the full-object CRC64NVME is joined from the
    // parts' CRCs in part order, so the checksum S3 verifies at completion does not depend on arrival order.
    const completed = await mapWithConcurrency(
      ranges,
      settings.partsInFlight ?? PARTS_IN_FLIGHT,
      async ({ start, bytes: length }, index) => {
        const partCrc = await crcOfRange(target.file, { start, end: start + length - 1 });
        const part = await s3.send(
          new UploadPartCommand({
            Bucket: target.bucket,
            Key: target.key,
            UploadId,
            PartNumber: index + 1,
            Body: body(target.file, start, start + length - 1, counted),
            ContentLength: length,
            ChecksumAlgorithm: 'CRC64NVME',
            ChecksumCRC64NVME: partCrc,
          }),
        );
        return { PartNumber: index + 1, ETag: part.ETag, ChecksumCRC64NVME: partCrc };
      },
    );
    plan.crc.whole = joinCrc64Nvme(
      completed.map((part, index) => ({
        crc: part.ChecksumCRC64NVME,
        bytes: (ranges[index] as { bytes: number }).bytes,
      })),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId,
        MultipartUpload: { Parts: completed },
        ChecksumCRC64NVME: plan.crc.whole,
        ChecksumType: 'FULL_OBJECT',
        ...plan.condition,
      }),
    );
  } catch (error) {
    // An unfinished upload keeps its parts (and their cost) until aborted; after a 412 nothing is
    // replaced, and the parts sent are dropped here too.
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId }))
      .catch(() => undefined);
    throw error;
  }
}
