import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { Crc64Nvme } from '../../src/backup/crc64nvme.js';
import { uploadArtifact } from '../../src/backup/upload.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { sha256 } from '../helpers/backup.js';
import { useEmulator } from '../helpers/emulator.js';

/**
 * Issue 24.2: multipart parts go up concurrently, at most partsInFlight at once, with the same full-object
 * CRC64NVME; a failed part aborts the upload only after every part request in flight has ended.
 * Concurrency is observed at the SDK (a middleware counting UploadPart requests in flight), not timed.
 */
useEmulator();
const bucket = 'parallel';
const MIB = 1024 * 1024;

/** An S3 client that records how many UploadPart requests are in flight, and can fail one part. */
function observedClient(options: { failPart?: number } = {}) {
  const s3 = new AwsClients().s3 as S3Client;
  const seen = {
    inFlight: 0,
    max: 0,
    started: [] as number[],
    byUpload: new Map<string, number>(),
    partCrcs: new Map<number, string | undefined>(),
  };
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'UploadPartCommand') return next(args);
      const input = args.input as { PartNumber: number; UploadId: string; ChecksumCRC64NVME?: string };
      const { PartNumber: part, UploadId: upload } = input;
      seen.started.push(part);
      seen.partCrcs.set(part, input.ChecksumCRC64NVME);
      seen.byUpload.set(upload, (seen.byUpload.get(upload) ?? 0) + 1);
      seen.inFlight++;
      seen.max = Math.max(seen.max, seen.inFlight);
      try {
        // Let the other workers start theirs before this one can finish (an event-loop turn, not a timer).
        await new Promise((resolve) => setImmediate(resolve));
        if (part === options.failPart) {
          throw Object.assign(new Error('InternalError: part failed'), {
            name: 'InternalError',
            $retryable: undefined,
          });
        }
        return await next(args);
      } finally {
        seen.inFlight--;
      }
    },
    { step: 'initialize', name: 'countPartsInFlight' },
  );
  return { s3, seen };
}

function artifact(bytes: number) {
  const content = randomBytes(bytes);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'standby-mp-')), 'state.tar.zst');
  writeFileSync(file, content);
  return { content, file };
}

describe('parallel multipart upload (issue 24.2)', () => {
  it('sends parts concurrently, never more than partsInFlight, and S3 verifies the same full-object CRC64NVME', async () => {
    const { s3, seen } = observedClient();
    await ensureBucket(s3, bucket);
    const { content, file } = artifact(26 * MIB); // 6 parts of 5 MiB (the S3 minimum) and a tail
    const made = await uploadArtifact(
      s3,
      { bucket, key: 'a/state.tar.zst', file, bytes: content.length, sha256: sha256(content) },
      { singlePartMaxBytes: MIB, partSizeBytes: 5 * MIB, partsInFlight: 3 },
    );
    expect(made).toMatchObject({ method: 'multipart', parts: 6, write: { kind: 'written' } });
    expect(seen.max).toBe(3);
    expect([...seen.started].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'a/state.tar.zst', ChecksumMode: 'ENABLED' }),
    );
    // The emulator composes the stored CRC from the CRCs of the parts it received (awscrt), as S3 does;
    // ours, joined in BigInt from the CRCs we sent, must be the same value (and the bytes, below, the file).
    expect(head.ChecksumCRC64NVME).toBe(made.checksum.value);
    expect(made.checksum.value).toBe(new Crc64Nvme().update(content).base64());
    // Every part carried the CRC of its own range (the header S3 checks the part against).
    for (let part = 1; part <= 6; part++) {
      const range = content.subarray((part - 1) * 5 * MIB, part * 5 * MIB);
      expect(seen.partCrcs.get(part)).toBe(new Crc64Nvme().update(range).base64());
    }
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/state.tar.zst' }));
    expect(sha256(Buffer.from((await stored.Body?.transformToByteArray()) ?? []))).toBe(sha256(content));
  });

  it('one at a time when partsInFlight is 1 (the baseline the bench compares with)', async () => {
    const { s3, seen } = observedClient();
    await ensureBucket(s3, bucket);
    const { content, file } = artifact(11 * MIB);
    await uploadArtifact(
      s3,
      { bucket, key: 'b/state.tar.zst', file, bytes: content.length, sha256: sha256(content) },
      { singlePartMaxBytes: MIB, partSizeBytes: 5 * MIB, partsInFlight: 1 },
    );
    expect(seen.max).toBe(1);
  });

  it('a failed part starts no new part, aborts after the parts in flight ended, and leaves no object or upload', async () => {
    const { s3, seen } = observedClient({ failPart: 2 });
    await ensureBucket(s3, bucket);
    const { content, file } = artifact(31 * MIB); // 7 parts
    await expect(
      uploadArtifact(
        s3,
        { bucket, key: 'c/state.tar.zst', file, bytes: content.length, sha256: sha256(content) },
        { singlePartMaxBytes: MIB, partSizeBytes: 5 * MIB, partsInFlight: 3 },
      ),
    ).rejects.toThrow(/part failed/);
    // writeOnce retries a transient failure with a new upload; in each, parts 1-3 were in flight when
    // part 2 failed and no worker took another part after that.
    expect(seen.byUpload.size).toBeGreaterThanOrEqual(1);
    for (const started of seen.byUpload.values()) expect(started).toBe(3);
    expect(seen.inFlight).toBe(0);
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(open.Uploads ?? []).toEqual([]);
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'c/state.tar.zst' })),
    ).rejects.toThrow();
  });
});
