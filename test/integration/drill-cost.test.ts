import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { PINNED_PRICES } from '../../src/cost/price-table.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { notify } from '../../src/phases/notify/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { type ReceiptDraft, S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { createTopicInbox } from '../helpers/sns-inbox.js';

const emulator = useEmulator();
const BUCKET = 'standby-receipts';
const env = { GITHUB_RUN_ID: '77' };
const REPORT_TIME = new Date('2026-12-01T11:31:00Z');

/**
 * A drill's receipts as its phases write them: a 1.5 h runner (bringup starts 10:00, teardown ends 11:30),
 * t4g.medium with a 30 GB root volume, and the S3 reads of restore-precheck and restore.
 */
async function plantDrill(executionId: string, region = 'us-east-1') {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, BUCKET);
  const store = new S3ReceiptStore(aws.s3, { bucket: BUCKET, prefix: 'standby/receipts', executionId });
  const write = (
    phase: ReceiptDraft['phase'],
    start: string,
    end: string,
    outputs: Record<string, unknown>,
  ) =>
    store.write(
      receiptDraft({
        execution_id: executionId,
        phase,
        started_at: start,
        ended_at: end,
        outputs,
        aws: { account_id: '123456789012', region, endpoint: null },
      }),
    );
  const reads = (get: number, head: number, list: number, bytes: number) => ({
    get_requests: get,
    head_requests: head,
    list_requests: list,
    bytes,
  });
  await write('restore-precheck', '2026-12-01T09:58:00.000Z', '2026-12-01T09:59:00.000Z', {
    's3-reads': reads(1, 2, 1, 2048),
  });
  await write('bringup', '2026-12-01T10:00:00.000Z', '2026-12-01T10:04:00.000Z', {
    'instance-id': 'i-0123456789abcdef0',
    'instance-type': 't4g.medium',
    'root-volume-gb': 30,
  });
  await write('restore', '2026-12-01T10:10:00.000Z', '2026-12-01T10:12:00.000Z', {
    's3-reads': reads(3, 3, 0, 1024 ** 3),
  });
  await write('teardown', '2026-12-01T11:25:00.000Z', '2026-12-01T11:30:00.000Z', {});
  return { aws, store };
}

async function drillComplete(executionId: string, aws: AwsClients, extra: Record<string, string> = {}) {
  const io = new MemoryIO({
    'execution-id': executionId,
    'receipt-bucket': BUCKET,
    event: 'drill-complete',
    ...extra,
  });
  const run = await runPhase(notify, io, { aws, env, now: () => REPORT_TIME });
  return { ...run, io, cost: run.receipt?.receipt?.outputs.cost as Record<string, unknown> };
}

describe("the report receipt carries the drill's cost (notify drill-complete, on the emulator)", () => {
  it('equals the hand-computed figure, in the receipt, the SNS message and the job summary', async () => {
    const { aws } = await plantDrill('drill-77');
    const inbox = await createTopicInbox(emulator.endpoint);
    const { result, io, cost } = await drillComplete('drill-77', aws, { 'topic-arn': inbox.topicArn });
    expect(result.status).toBe('ok');
    // By hand with the pinned us-east-1 prices:
    //   t4g.medium 1.5 h x $0.0336 = $0.0504; gp3 30 GB x 1.5 h = 45 GB-h / 720 h x $0.08 = $0.005;
    //   NAT 0 h; GET+HEAD 9 / 1000 x $0.0004 = $0.0000036; LIST 1 / 1000 x $0.005 = $0.000005;
    //   S3 → EC2 same region 1 GB (+2 KB) x $0 = 0.            Total $0.0554086
    expect(cost).toMatchObject({
      status: 'priced',
      currency: 'USD',
      total_usd: 0.0554086,
      region: 'us-east-1',
    });
    expect(cost.price_table).toEqual({ date: PINNED_PRICES.date, origin: 'src/cost/prices.json (pinned)' });
    const [message] = await inbox.received();
    expect(JSON.parse(message?.Message ?? '{}').details).toMatchObject({
      cost_usd: 0.0554086,
      cost_status: 'priced',
    });
    expect(io.summaries.join('\n')).toContain('**Cost: $0.0554**');
    expect(io.summaries.join('\n')).toContain('creates no NAT gateway');
  });

  it('an unknown region is unpriced with the reason, never a guess', async () => {
    const { aws } = await plantDrill('drill-78', 'ap-south-2');
    const { result, cost } = await drillComplete('drill-78', aws);
    expect(result.status).toBe('ok');
    expect(cost).toMatchObject({ status: 'unpriced', total_usd: null });
    expect(cost.reasons).toEqual([expect.stringContaining('region ap-south-2 is not in the price table')]);
  });

  it('price-table overrides the pinned table; an unreadable one leaves the cost unpriced and still notifies', async () => {
    const { aws } = await plantDrill('drill-79');
    const dir = mkdtempSync(path.join(tmpdir(), 'prices-'));
    const table = structuredClone(PINNED_PRICES);
    const usEast = table.regions['us-east-1'];
    if (!usEast) throw new Error('the pinned table lost us-east-1');
    usEast.instance_hour['t4g.medium'] = { usd: 2, source: 'negotiated rate' };
    usEast.ebs_gp3_gb_month = { usd: 0, source: 'negotiated rate' };
    writeFileSync(path.join(dir, 'prices.json'), JSON.stringify({ ...table, date: '2027-01-01' }));
    const priced = await drillComplete('drill-79', aws, { 'price-table': path.join(dir, 'prices.json') });
    // 1.5 h x $2 + 9 GET/HEAD + 1 LIST as above.
    expect(priced.cost).toMatchObject({ status: 'priced', total_usd: 3.0000086 });
    expect(priced.cost.price_table).toEqual({ date: '2027-01-01', origin: path.join(dir, 'prices.json') });

    const missing = await drillComplete('drill-79', aws, { 'price-table': path.join(dir, 'nope.json') });
    expect(missing.result.status).toBe('ok');
    expect(missing.cost).toMatchObject({ status: 'unpriced', total_usd: null });
    expect(missing.cost.reasons).toEqual([expect.stringContaining('cannot read the price table')]);
  });
});
