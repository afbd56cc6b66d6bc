import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { clientConfig } from '../../src/aws/clients.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { useEmulator } from '../helpers/emulator.js';

/**
 * The emulator must be as strict as S3 about conditional writes, or the tests of every write-once object
 * (receipts, sequence claims, backups) prove nothing: of several concurrent `If-None-Match: *` writes of
 * one key exactly one succeeds, the others get 412 Precondition Failed or 409 ConditionalRequestConflict
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). moto alone checks and
 * stores in two steps; src/emulator/moto.ts makes the pair atomic. Without that, the multipart case
 * failed in about one run of three on an idle 2-core machine (a loaded one lost a receipt-sequence race).
 */
useEmulator();
const bucket = 'conditional';
const ROUNDS = 8;
const WRITERS = 12;

/** Each writer is its own client, as each job would be: its own connections, truly concurrent requests. */
const client = () => new S3Client({ ...clientConfig(), forcePathStyle: true, maxAttempts: 1 });

async function outcome(write: Promise<unknown>): Promise<number> {
  try {
    await write;
    return 200;
  } catch (error) {
    return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  }
}

/** Bodies large enough that moto spends time between its check and its store (checksum, copy). */
const body = (writer: number) => `writer ${writer}\n`.padEnd(256 * 1024, '.');

async function stored(key: string): Promise<string> {
  const got = await client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await got.Body?.transformToString()) ?? '';
}

describe('the emulator refuses all but one concurrent conditional write of a key, as S3 does', () => {
  it('PutObject with If-None-Match: * — one 200, the rest 412/409, and the winner is what is stored', async () => {
    await ensureBucket(client(), bucket);
    for (let round = 0; round < ROUNDS; round++) {
      const key = `race/${round}.json`;
      const statuses = await Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          outcome(
            client().send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: key,
                Body: body(writer),
                ChecksumAlgorithm: 'SHA256',
                IfNoneMatch: '*',
              }),
            ),
          ),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 412 || s === 409)).toBe(true);
      expect(await stored(key)).toBe(body(statuses.indexOf(200)));
    }
  });

  it('CompleteMultipartUpload with If-None-Match: * — one upload wins the key, the others are refused', async () => {
    await ensureBucket(client(), bucket);
    for (let round = 0; round < ROUNDS; round++) {
      const key = `race/multipart-${round}.bin`;
      const uploads = await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          const s3 = client();
          const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
          const part = await s3.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId,
              PartNumber: 1,
              Body: `writer ${writer}`,
            }),
          );
          return { s3, UploadId, ETag: part.ETag };
        }),
      );
      const statuses = await Promise.all(
        uploads.map(({ s3, UploadId, ETag }) =>
          outcome(
            s3.send(
              new CompleteMultipartUploadCommand({
                Bucket: bucket,
                Key: key,
                UploadId,
                IfNoneMatch: '*',
                MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
              }),
            ),
          ),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 412 || s === 409)).toBe(true);
      expect(await stored(key)).toBe(`writer ${statuses.indexOf(200)}`);
    }
  });
});
