import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { listRun } from '../../src/failback/listing.js';
import { runFailback } from '../../src/failback/run.js';
import { useEmulator } from '../helpers/emulator.js';
import {
  FIXTURE,
  failbackInputs,
  readJson,
  seedPromoted,
  stateVersions,
} from '../helpers/failback-fixture.js';
import { type Fault, startFaultProxy } from '../helpers/fault-proxy.js';

const emulator = useEmulator();

/** Runs `body` with the SDK pointed at a fault proxy in front of the emulator. */
async function throughProxy<T>(faults: Fault[], body: () => Promise<T>) {
  const proxy = await startFaultProxy(emulator.endpoint, faults);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  try {
    return { result: await body(), seen: proxy.seen };
  } finally {
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    await proxy.close();
  }
}

async function receiptStatuses(aws: AwsClients) {
  const listed = await aws.s3.send(
    new ListObjectsV2Command({ Bucket: FIXTURE.receipts, Prefix: 'standby/receipts/failback-test/' }),
  );
  const receipts = await Promise.all(
    (listed.Contents ?? [])
      .filter((o) => !o.Key?.includes('/.seq/')) // sequence claims (issue 19.3) are not receipts
      .map(async (o) => (await readJson(aws.s3, FIXTURE.receipts, o.Key as string)).json),
  );
  return receipts
    .sort((a, b) => Number(a.sequence) - Number(b.sequence))
    .map((r) => `${r.phase}:${r.status}${r.error ? `:${(r.error as { reason: string }).reason}` : ''}`);
}

describe('failback when S3 fails on the wire', () => {
  it('a denied pointer write stops apply and restores the pointers already switched', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const { result: report, seen } = await throughProxy(
      [
        {
          match: (r) => r.method === 'PUT' && r.url.startsWith('/publisher/batch/state/last_success.json'),
          status: 403,
          code: 'AccessDenied',
        },
      ],
      () => runFailback(failbackInputs({ apply: 'true', confirm: FIXTURE.dr }), { aws: new AwsClients() }),
    );
    expect(seen.some((r) => r.status === 403)).toBe(true);
    expect(report.outcome).toBe('apply-failed');
    expect(report.apply?.writes.map((w) => w.status)).toEqual(['switched', 'switched', 'failed']);
    expect(report.apply?.writes[2]?.error).toContain('AccessDenied');
    expect(report.apply?.rollback.map((r) => [r.name, r.status])).toEqual([
      ['acme/hourly', 'restored'],
      ['acme/daily', 'restored'],
    ]);
    for (const key of FIXTURE.pointerKeys)
      expect((await readJson(aws.s3, FIXTURE.bucket, key)).json.run_id).toBe(FIXTURE.dr);
    expect((await receiptStatuses(aws)).slice(3)).toEqual([
      'failback-apply:failed:write_failed',
      'failback-verify-after:ok',
    ]);
  });

  it('a denied listing fails verify-before with a receipt and writes no pointer', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const before = await stateVersions(aws.s3);
    const { result } = await throughProxy(
      [
        {
          match: (r) => r.url.startsWith('/publisher') && r.url.includes('list-type=2'),
          status: 403,
          code: 'AccessDenied',
        },
      ],
      () =>
        runFailback(failbackInputs({ apply: 'true', confirm: FIXTURE.dr }), { aws: new AwsClients() }).then(
          () => 'resolved',
          (error: Error) => error.message,
        ),
    );
    expect(result).toMatch(
      /^cannot read the pointers or list the runs: AccessDenied.*; nothing was written$/,
    );
    expect(await stateVersions(aws.s3)).toEqual(before);
    expect(await receiptStatuses(aws)).toEqual([
      'failback-inputs:ok',
      'failback-verify-before:failed:read_failed',
    ]);
  });
});

describe('listing a run', () => {
  it('walks every ListObjectsV2 page and keys objects relative to the run prefix', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3, {
      primaryFiles: Object.fromEntries([...Array(7).keys()].map((i) => [`p/${i}.csv`, `${i}`])),
    });
    const { result: listing, seen } = await throughProxy([], () =>
      listRun(new AwsClients().s3, FIXTURE.bucket, `batch/runs/${FIXTURE.primary}/`, 2),
    );
    expect([...listing.keys()].sort()).toEqual([...Array(7).keys()].map((i) => `p/${i}.csv`));
    expect(listing.get('p/3.csv')).toEqual({ size: 1, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
    expect(seen.filter((r) => r.url.includes('list-type=2'))).toHaveLength(4);
  });
});
