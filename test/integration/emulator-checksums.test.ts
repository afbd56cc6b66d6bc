import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32 as zlibCrc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { clientConfig } from '../../src/aws/clients.js';
import { Crc64Nvme } from '../../src/backup/crc64nvme.js';
import { uploadArtifact } from '../../src/backup/upload.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { sha256 } from '../helpers/backup.js';
import { useEmulator } from '../helpers/emulator.js';

/**
 * The emulator refuses what S3 refuses: a PutObject or UploadPart whose x-amz-checksum-* value does not
 * match the bytes received, and a CompleteMultipartUpload whose full-object CRC does not match the
 * assembled object, answer 400 BadDigest ("The Content-MD5 or checksum value that you specified did not
 * match what the server received", docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). moto
 * 5.2.5 alone accepts both and stores its own checksum; src/emulator/moto-launcher.py adds the check.
 */
const emulator = useEmulator();
const bucket = 'checksums';
const MIB = 1024 * 1024;
const client = () => new S3Client({ ...clientConfig(), forcePathStyle: true, maxAttempts: 1 });
const crc = (bytes: Buffer) => new Crc64Nvme().update(bytes).base64();
const wrong = (bytes: Buffer) => crc(Buffer.concat([bytes, Buffer.from('x')]));

async function refusal(request: Promise<unknown>): Promise<{ status?: number; code?: string }> {
  try {
    await request;
    return { status: 200 };
  } catch (error) {
    const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return { status: failure.$metadata?.httpStatusCode, code: failure.name };
  }
}

async function openUploads(s3: S3Client): Promise<number> {
  return ((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).length;
}

/**
 * A FULL_OBJECT multipart upload of `parts` under `key`, each part sent with its own checksum; returns the
 * completion, to be sent with the full-object checksum given.
 */
async function fullObjectUpload(
  s3: S3Client,
  key: string,
  algorithm: 'CRC64NVME' | 'CRC32',
  parts: Buffer[],
  checksum: (bytes: Buffer) => string,
): Promise<(whole: string) => Promise<unknown>> {
  const field = `Checksum${algorithm}` as const;
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ChecksumAlgorithm: algorithm,
      ChecksumType: 'FULL_OBJECT',
    }),
  );
  const completed: { PartNumber: number; ETag?: string; [field]?: string }[] = [];
  for (const [index, part] of parts.entries()) {
    const sent = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: index + 1,
        Body: part,
        [field]: checksum(part),
      }),
    );
    completed.push({ PartNumber: index + 1, ETag: sent.ETag, [field]: checksum(part) });
  }
  return (whole) =>
    s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: completed },
        [field]: whole,
        ChecksumType: 'FULL_OBJECT',
      }),
    );
}

describe('the emulator checks the checksums a client declares, as S3 does', () => {
  it('uploadArtifact: a part sent with a wrong CRC64NVME is refused with BadDigest, and the upload is aborted', async () => {
    const s3 = client();
    await ensureBucket(s3, bucket);
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { PartNumber?: number; ChecksumCRC64NVME?: string };
        if (context.commandName === 'UploadPartCommand' && input.PartNumber === 2) {
          input.ChecksumCRC64NVME = wrong(Buffer.from(input.ChecksumCRC64NVME ?? ''));
        }
        return next(args);
      },
      { step: 'initialize', name: 'corruptPartCrc' },
    );
    const content = randomBytes(11 * MIB);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'standby-crc-')), 'state.tar.zst');
    writeFileSync(file, content);
    const upload = uploadArtifact(
      s3,
      { bucket, key: 'bad/state.tar.zst', file, bytes: content.length, sha256: sha256(content) },
      { singlePartMaxBytes: MIB, partSizeBytes: 5 * MIB, partsInFlight: 1 },
    );
    await expect(upload).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    expect(await openUploads(s3)).toBe(0);
    expect(
      await refusal(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad/state.tar.zst' }))),
    ).toMatchObject({
      status: 404,
    });
  });

  it('CompleteMultipartUpload with a wrong full-object CRC64NVME is refused and the upload stays open; the right one completes', async () => {
    const s3 = client();
    await ensureBucket(s3, bucket);
    const parts = [randomBytes(5 * MIB), randomBytes(MIB)];
    const complete = await fullObjectUpload(s3, 'whole', 'CRC64NVME', parts, crc);
    const whole = Buffer.concat(parts);
    expect(await refusal(complete(wrong(whole)))).toEqual({ status: 400, code: 'BadDigest' });
    expect(await openUploads(s3)).toBe(1);
    expect(await refusal(complete(crc(whole)))).toEqual({ status: 200 });
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'whole', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumCRC64NVME).toBe(crc(whole));
  });

  it('a FULL_OBJECT CRC32 completion is checked against the parts joined, and the object reads as the parts in order', async () => {
    const s3 = client();
    await ensureBucket(s3, bucket);
    // 5 MiB + 1 KiB goes to moto's file storage (over MOTO_S3_DEFAULT_KEY_BUFFER_SIZE), the tail stays in memory.
    const parts = [randomBytes(5 * MIB + 1024), randomBytes(5 * MIB + 1024), randomBytes(1000)];
    const crc32 = (bytes: Buffer) => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(zlibCrc32(bytes));
      return out.toString('base64');
    };
    const complete = await fullObjectUpload(s3, 'crc32', 'CRC32', parts, crc32);
    const whole = Buffer.concat(parts);
    const swapped = Buffer.concat([parts[1] as Buffer, parts[0] as Buffer, parts[2] as Buffer]);
    expect(await refusal(complete(crc32(swapped)))).toEqual({ status: 400, code: 'BadDigest' });
    expect(await refusal(complete(crc32(whole)))).toEqual({ status: 200 });
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'crc32', ChecksumMode: 'ENABLED' }),
    );
    expect(stored.ChecksumCRC32).toBe(crc32(whole));
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(whole)).toBe(true);
    // A range across the first two parts, and the key written again over the completed object.
    const from = 5 * MIB + 1000;
    const range = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'crc32', Range: `bytes=${from}-${from + 99}` }),
    );
    const ranged = Buffer.from((await range.Body?.transformToByteArray()) ?? []);
    expect(ranged.equals(whole.subarray(from, from + 100))).toBe(true);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'crc32', Body: 'again' }));
    const again = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'crc32' }));
    expect(await again.Body?.transformToString()).toBe('again');
  });

  it('PutObject with a wrong SHA256 is refused with BadDigest and nothing is stored; the right one is stored', async () => {
    const s3 = client();
    await ensureBucket(s3, bucket);
    const body = Buffer.from('receipt bytes\n');
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
    const put = (checksum: string) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'put', Body: body, ChecksumSHA256: checksum }));
    expect(await refusal(put(digest(Buffer.from('other bytes\n'))))).toEqual({
      status: 400,
      code: 'BadDigest',
    });
    expect(await refusal(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'put' })))).toMatchObject({
      status: 404,
    });
    expect(await refusal(put(digest(body)))).toEqual({ status: 200 });
  });

  it('a body sent aws-chunked with its checksum in the trailer: the SDK-computed one passes, a wrong trailer is refused', async () => {
    const s3 = client();
    await ensureBucket(s3, bucket);
    const body = randomBytes(300 * 1024);
    const sent: Record<string, string>[] = [];
    s3.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordHeaders' },
    );
    // A stream of unknown length: the SDK computes the CRC32 itself and sends it as a trailer.
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'trailer',
        Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
        ContentLength: body.length,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'trailer' }));
    expect(head.ContentLength).toBe(body.length);
    expect(sent[0]).toMatchObject({
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    });
    // The same shape by hand, with a trailer that does not match the chunks.
    const chunked = (trailer: string) =>
      Buffer.concat([
        Buffer.from(`${body.length.toString(16)}\r\n`),
        body,
        Buffer.from(`\r\n0\r\nx-amz-checksum-sha256:${trailer}\r\n\r\n`),
      ]);
    const raw = async (trailer: string) =>
      fetch(`${emulator.endpoint}/${bucket}/raw`, {
        method: 'PUT',
        headers: {
          'content-encoding': 'aws-chunked',
          'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': String(body.length),
          'x-amz-trailer': 'x-amz-checksum-sha256',
          authorization:
            'AWS4-HMAC-SHA256 Credential=testing/20261204/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: chunked(trailer),
      });
    const refused = await raw(createHash('sha256').update('other').digest('base64'));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<Code>BadDigest</Code>');
    const accepted = await raw(createHash('sha256').update(body).digest('base64'));
    expect(accepted.status).toBe(200);
  });

  it("completion keeps moto's answers: the multipart ETag, InvalidPart, EntityTooSmall, a COMPOSITE SHA256", async () => {
    const s3 = client();
    await ensureBucket(s3, bucket);
    const parts = [randomBytes(5 * MIB), randomBytes(1000)];
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'composite', ChecksumAlgorithm: 'SHA256' }),
    );
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
    const sent: { PartNumber: number; ETag?: string; ChecksumSHA256: string }[] = [];
    for (const [index, part] of parts.entries()) {
      const { ETag } = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'composite',
          UploadId,
          PartNumber: index + 1,
          Body: part,
          ChecksumSHA256: sha(part),
        }),
      );
      sent.push({ PartNumber: index + 1, ETag, ChecksumSHA256: sha(part) });
    }
    const complete = (Parts: typeof sent) =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'composite',
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    const [first, second] = sent as [(typeof sent)[0], (typeof sent)[0]];
    expect(await refusal(complete([first, { ...second, ETag: first.ETag }]))).toEqual({
      status: 400,
      code: 'InvalidPart',
    });
    const done = await complete(sent);
    const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest();
    const md5s = Buffer.concat(parts.map(md5));
    expect(done.ETag).toBe(`"${md5(md5s).toString('hex')}-2"`);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'composite', ChecksumMode: 'ENABLED' }),
    );
    const composite = createHash('sha256')
      .update(Buffer.concat(parts.map((part) => createHash('sha256').update(part).digest())))
      .digest('base64');
    // S3 answers `<sha>-2`; moto's HeadObject leaves the part count off.
    expect(head.ChecksumSHA256?.replace(/-2$/, '')).toBe(composite);
    expect(head.ContentLength).toBe(5 * MIB + 1000);

    const small = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'small' }));
    const tiny: { PartNumber: number; ETag?: string }[] = [];
    for (const PartNumber of [1, 2]) {
      const { ETag } = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'small',
          UploadId: small.UploadId,
          PartNumber,
          Body: 'x',
        }),
      );
      tiny.push({ PartNumber, ETag });
    }
    const tooSmall = s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'small',
        UploadId: small.UploadId,
        MultipartUpload: { Parts: tiny },
      }),
    );
    expect(await refusal(tooSmall)).toEqual({ status: 400, code: 'EntityTooSmall' });
  });
});
