import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients, clientConfig } from '../../src/aws/clients.js';
import { DRILL_REQUIRED_PHASES } from '../../src/evidence/bundle.js';
import { readBundleDir } from '../../src/evidence/bundle-files.js';
import { checkBundle, DEFAULT_CHECK_OPTIONS } from '../../src/evidence/check.js';
import { checkChain, checkTimestamps } from '../../src/evidence/check-chain.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import type { PhaseName } from '../../src/receipts/envelope.js';
import { currentSource } from '../../src/receipts/source.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { actionsEnv, collectGolden, makeGoldenRun } from '../helpers/golden-bundle.js';
import { receiptDraft } from '../helpers/receipt-draft.js';

/**
 * Issue 19.3: concurrent writers of one execution (teardown and failure jobs in parallel) never take the
 * same sequence number: each number is claimed with a write-once object (src/receipts/sequence.ts).
 */
const emulator = useEmulator();

const location = { bucket: 'receipts', prefix: 'standby/receipts', executionId: 'drill-par' };
/** Each writer is its own job: its own client and connections. */
const writer = (where = location) =>
  new S3ReceiptStore(new S3Client({ ...clientConfig(), forcePathStyle: true }), where);

/** Phases that ran at the same time: all started at `start`, ended a few seconds apart, in any order. */
function parallelDraft(
  executionId: string,
  phase: PhaseName,
  index: number,
  start: string,
  source?: unknown,
) {
  const ended = new Date(Date.parse(start) + (1 + ((index * 7) % 10)) * 1000).toISOString();
  return receiptDraft({
    execution_id: executionId,
    phase,
    started_at: start,
    ended_at: ended,
    duration_ms: Date.parse(ended) - Date.parse(start),
    ...(source ? { source: source as never } : {}),
  });
}

describe('sequence numbers under concurrent writers (issue 19.3)', () => {
  it('19.3: 10 parallel writers of one execution: sequences 1..10 once each, one unbroken chain', async () => {
    await ensureBucket(new AwsClients().s3, location.bucket);
    const phases: PhaseName[] = [
      'teardown',
      'failure',
      'notify',
      'notify',
      'validate',
      'restore',
      'bringup',
      'promote',
      'notify',
      'failure',
    ];
    const written = await Promise.all(
      phases.map((phase, i) =>
        writer().write(parallelDraft(location.executionId, phase, i, '2026-11-22T01:00:00.000Z')),
      ),
    );
    const sequences = written.map((w) => w.receipt?.sequence ?? 0).sort((a, b) => a - b);
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(written.map((w) => w.key)).size).toBe(10);

    // What is stored (not what the writers think) forms one chain that the evidence checks accept.
    const stored = (await writer().list())
      .map((r) => ({
        path: `receipts/${r.key.split('/').pop()}`,
        name: r.key.split('/').pop() as string,
        sha256: r.sha256,
        receipt: r.receipt as NonNullable<typeof r.receipt>,
      }))
      .sort((a, b) => a.receipt.sequence - b.receipt.sequence);
    expect(stored).toHaveLength(10);
    expect(checkChain(stored)).toEqual([]);
    expect(checkTimestamps(stored)).toEqual([]);
    expect(
      stored
        .filter((r) => r.receipt.phase === 'notify')
        .map((r) => r.receipt.attempt)
        .sort(),
    ).toEqual([1, 2, 3]);

    // One claim per number, naming the receipt stored under it; listings of receipts never show claims.
    const s3 = new AwsClients().s3;
    const claims = await s3.send(
      new ListObjectsV2Command({ Bucket: location.bucket, Prefix: 'standby/receipts/drill-par/.seq/' }),
    );
    expect((claims.Contents ?? []).map((o) => o.Key?.split('/').pop()).sort()).toEqual(
      sequences.map((n) => `${n}.json`).sort(),
    );
    for (const r of stored) {
      const claim = JSON.parse(
        (await (
          await s3.send(
            new GetObjectCommand({
              Bucket: location.bucket,
              Key: `standby/receipts/drill-par/.seq/${r.receipt.sequence}.json`,
            }),
          )
        ).Body?.transformToString()) ?? '{}',
      );
      expect(claim).toEqual({
        schema: 'standby.sequence-claim/v1',
        execution_id: 'drill-par',
        sequence: r.receipt.sequence,
        key: `standby/receipts/drill-par/${r.name}`,
        sha256: r.sha256,
      });
    }
    expect((await writer().listVersions()).every((v) => !v.key.includes('/.seq/'))).toBe(true);
  });

  it('19.3: a drill whose last jobs write in parallel (10 writers) still passes its own evidence check', async () => {
    const run = await makeGoldenRun({
      executionId: 'drill-golden-par',
      phases: DRILL_REQUIRED_PHASES.filter((p) => p !== 'teardown'),
    });
    const source = currentSource(actionsEnv());
    const start = '2026-11-21T22:00:00.000Z';
    const phases: PhaseName[] = ['teardown', ...Array<PhaseName>(9).fill('notify')];
    await Promise.all(
      phases.map((phase, i) =>
        writer(run.store.location).write(parallelDraft(run.executionId, phase, i, start, source)),
      ),
    );
    const files = await readBundleDir(await collectGolden(run));
    const report = checkBundle(files, { ...DEFAULT_CHECK_OPTIONS, acceptEmulator: true });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(files.filter((f) => f.path.startsWith('receipts/'))).toHaveLength(
      DRILL_REQUIRED_PHASES.length + 9,
    );
  });

  it("19.3: a lost claim response is the writer's own claim, not a reason to move on (one receipt, sequence 1)", async () => {
    await ensureBucket(new AwsClients().s3, location.bucket);
    const proxy = await startFaultProxy(emulator.endpoint, [
      {
        match: (r) => r.method === 'PUT' && r.url.includes('/.seq/1.json'),
        status: 0,
        code: '',
        action: 'reset-after-forward',
        times: 1,
      },
    ]);
    try {
      const s3 = new S3Client({ ...clientConfig(), endpoint: proxy.endpoint, forcePathStyle: true });
      const written = await new S3ReceiptStore(s3, location).write(
        parallelDraft(location.executionId, 'check-health', 0, '2026-11-22T01:00:00.000Z'),
      );
      expect(written.receipt).toMatchObject({ sequence: 1, attempt: 1, previous: null });
      const puts = proxy.seen.filter((r) => r.method === 'PUT' && r.url.includes('/.seq/'));
      expect(puts.map((r) => r.status)).toEqual([0, 412]);
    } finally {
      await proxy.close();
    }
    const listed = await writer().list();
    expect(listed.map((r) => r.receipt?.sequence)).toEqual([1]);
  });
});
