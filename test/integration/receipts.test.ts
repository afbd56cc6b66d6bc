import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients, clientConfig } from '../../src/aws/clients.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { ReceiptSchema } from '../../src/receipts/envelope.js';
import { type ReceiptDraft, S3ReceiptStore, sha256Hex } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { receiptDraft } from '../helpers/receipt-draft.js';

const emulator = useEmulator();

const location = { bucket: 'receipts', prefix: 'standby/receipts', executionId: 'drill-1' };

function draft(phase: ReceiptDraft['phase'], status: ReceiptDraft['status'] = 'ok'): ReceiptDraft {
  return receiptDraft({
    execution_id: location.executionId,
    phase,
    status,
    ended_at: '2026-11-22T01:00:01.000Z',
    duration_ms: 1000,
  });
}

async function store() {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, location.bucket);
  return { aws, store: new S3ReceiptStore(aws.s3, location) };
}

describe('S3ReceiptStore on the emulator', () => {
  it('writes the first receipt at <prefix>/<exec>/<phase>.json with no previous link', async () => {
    const { store: receipts } = await store();
    const written = await receipts.write(draft('check-health'));
    expect(written.key).toBe('standby/receipts/drill-1/check-health.json');
    expect(written.receipt?.attempt).toBe(1);
    expect(written.receipt?.sequence).toBe(1);
    expect(written.receipt?.previous).toBeNull();
  });

  it('chains each receipt to the sha256 of the one before', async () => {
    const { aws, store: receipts } = await store();
    const first = await receipts.write(draft('check-health'));
    const second = await receipts.write(draft('restore-precheck'));
    expect(second.receipt?.previous).toEqual({ key: first.key, sha256: first.sha256 });
    expect(second.receipt?.sequence).toBe(2);
    const object = await aws.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: first.key }));
    expect(sha256Hex(Buffer.from((await object.Body?.transformToByteArray()) ?? []))).toBe(first.sha256);
  });

  it('never overwrites: a second attempt of a phase gets its own object', async () => {
    const { aws, store: receipts } = await store();
    const first = await receipts.write(draft('check-health', 'failed'));
    const retry = await receipts.write(draft('check-health', 'ok'));
    expect(retry.key).toBe('standby/receipts/drill-1/check-health.attempt-2.json');
    expect(retry.receipt?.attempt).toBe(2);
    const original = await receipts.read(first.key);
    expect(original.sha256).toBe(first.sha256);
    expect(original.receipt?.status).toBe('failed');
    const head = await aws.s3.send(
      new HeadObjectCommand({ Bucket: location.bucket, Key: retry.key, ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumSHA256).toBe(Buffer.from(retry.sha256, 'hex').toString('base64'));
  });

  it('the conditional write is enforced by S3 itself (412 on an existing key)', async () => {
    const { aws } = await store();
    await aws.s3.send(
      new PutObjectCommand({ Bucket: location.bucket, Key: 'x.json', Body: '{}', IfNoneMatch: '*' }),
    );
    await expect(
      aws.s3.send(
        new PutObjectCommand({ Bucket: location.bucket, Key: 'x.json', Body: '{}', IfNoneMatch: '*' }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
  });

  it('takes the next attempt when another writer got the key first', async () => {
    const { aws, store: receipts } = await store();
    // Someone else's object sits where attempt 1 would go, and is not a receipt: it is kept, not replaced.
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: 'standby/receipts/drill-1/bringup.json',
        Body: 'not json',
      }),
    );
    const written = await receipts.write(draft('bringup'));
    expect(written.key).toBe('standby/receipts/drill-1/bringup.attempt-2.json');
    const listed = await receipts.list();
    expect(listed.find((r) => r.key.endsWith('bringup.json'))?.problem).toBe('not valid JSON');
  });

  it('refuses to write a receipt that does not match the schema', async () => {
    const { store: receipts } = await store();
    await expect(receipts.write({ ...draft('check-health'), execution_id: 'bad id/..' })).rejects.toThrow();
    expect(await receipts.list()).toHaveLength(0);
    expect(ReceiptSchema.safeParse({}).success).toBe(false);
  });

  it('a lost response is not a new attempt: 412 on the retried PUT, same bytes stored, write done', async () => {
    const { aws, store: receipts } = await store();
    await receipts.write(draft('check-health'));
    // The proxy forwards the PUT of restore-precheck.json, S3 stores it, and the connection is cut before
    // the answer reaches the SDK, which retries the same PUT and gets 412 for its own object.
    const proxy = await startFaultProxy(emulator.endpoint, [
      {
        match: (r) => r.method === 'PUT' && r.url.includes('/restore-precheck.json'),
        status: 0,
        code: '',
        action: 'reset-after-forward',
        times: 1,
      },
    ]);
    try {
      const s3 = new S3Client({ ...clientConfig(), endpoint: proxy.endpoint, forcePathStyle: true });
      const written = await new S3ReceiptStore(s3, location).write(draft('restore-precheck'));
      const puts = proxy.seen.filter((r) => r.method === 'PUT' && r.url.includes('/restore-precheck.json'));
      expect(puts.map((r) => r.status)).toEqual([0, 412]); // the lost answer, then the retry's 412
      expect(written.key).toBe('standby/receipts/drill-1/restore-precheck.json');
      expect(written.receipt).toMatchObject({ attempt: 1, sequence: 2 });
      const listed = await aws.s3.send(
        new ListObjectsV2Command({ Bucket: location.bucket, Prefix: 'standby/receipts/drill-1/' }),
      );
      // Besides the two receipts only their sequence claims (issue 19.3), one per number.
      expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([
        'standby/receipts/drill-1/.seq/1.json',
        'standby/receipts/drill-1/.seq/2.json',
        'standby/receipts/drill-1/check-health.json',
        'standby/receipts/drill-1/restore-precheck.json',
      ]);
      expect((await receipts.read(written.key)).sha256).toBe(written.sha256);
    } finally {
      await proxy.close();
    }
  });

  it('a 412 for a different object still moves to the next attempt (nothing is overwritten)', async () => {
    const { aws, store: receipts } = await store();
    const other = Buffer.from('{"someone":"else"}');
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: 'standby/receipts/drill-1/notify.json',
        Body: other,
      }),
    );
    const written = await receipts.write(draft('notify'));
    expect(written.key).toBe('standby/receipts/drill-1/notify.attempt-2.json');
    expect((await receipts.read('standby/receipts/drill-1/notify.json')).body.equals(other)).toBe(true);
  });

  it('sanitises everything it records, whoever calls it (inputs, outputs, error, source)', async () => {
    const { store: receipts } = await store();
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const written = await receipts.write({
      ...draft('validate', 'failed'),
      inputs: { note: `https://x.example.com/?token=${token}` },
      outputs: { log: { [token]: 'key' } },
      error: {
        message: `AccessDenied: https://b.s3.amazonaws.com/k?X-Amz-Signature=${'a'.repeat(64)}`,
        reason: token,
      },
    });
    const body = (await receipts.read(written.key)).body.toString();
    expect(body).not.toContain(token);
    expect(body).not.toContain('a'.repeat(64));
    expect(JSON.parse(body).error.message).toBe(
      'AccessDenied: https://b.s3.amazonaws.com/k?X-Amz-Signature=[redacted]',
    );
  });
});
