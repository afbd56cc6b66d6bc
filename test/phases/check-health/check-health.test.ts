import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { checkHealth } from '../../../src/phases/check-health/index.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import { ReceiptSchema } from '../../../src/receipts/envelope.js';
import { EMULATOR_ACCOUNT, useEmulator } from '../../helpers/emulator.js';
import { startFaultProxy } from '../../helpers/fault-proxy.js';
import { seedPublisher } from '../../helpers/publisher.js';

const emulator = useEmulator();
const PAIRS = ['acme/daily', 'acme/hourly', 'globex/daily'];

function inputs(overrides: Record<string, string> = {}) {
  return {
    'execution-id': 'exec-1',
    'receipt-bucket': 'receipts',
    'publish-bucket': 'publisher',
    'publish-prefix': 'batch',
    providers: PAIRS.join('\n'),
    ...overrides,
  };
}

async function run(overrides: Record<string, string> = {}, aws = new AwsClients()) {
  await ensureBucket(aws.s3, 'receipts');
  const io = new MemoryIO(inputs(overrides));
  const outcome = await runPhase(checkHealth, io, { aws });
  return {
    io,
    ...outcome,
    reasons: JSON.parse(io.outputs.reasons ?? '[]') as { code: string; subject: string }[],
  };
}

describe('check-health against the emulator', () => {
  it('reports a healthy publisher, publishes the three metrics and writes a valid receipt', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS });
    const { io, receipt } = await run();
    expect(io.outputs).toMatchObject({
      'needs-dr': 'false',
      proceed: 'false',
      'publish-correct': 'true',
      status: 'ok',
    });
    expect(Number(io.outputs['freshness-hours'])).toBeCloseTo(1, 1);
    expect(ReceiptSchema.parse(receipt?.receipt).outputs['needs-dr']).toBe(false);
    expect(receipt?.receipt?.aws.account_id).toBe(EMULATOR_ACCOUNT);

    const listed = await aws
      .client('cloudwatch', (c) => new CloudWatchClient(c))
      .send(new ListMetricsCommand({ Namespace: 'Standby/Pipeline' }));
    expect(listed.Metrics?.map((m) => m.MetricName).sort()).toEqual([
      'NeedsDR',
      'PipelineFreshnessHours',
      'PublishCorrectness',
    ]);
    expect(listed.Metrics?.[0]?.Dimensions).toEqual([{ Name: 'Pipeline', Value: 'publisher/batch' }]);
    const stats = await aws
      .client('cloudwatch', (c) => new CloudWatchClient(c))
      .send(
        new GetMetricStatisticsCommand({
          Namespace: 'Standby/Pipeline',
          MetricName: 'NeedsDR',
          Dimensions: [{ Name: 'Pipeline', Value: 'publisher/batch' }],
          StartTime: new Date(Date.now() - 3_600_000),
          EndTime: new Date(Date.now() + 3_600_000),
          Period: 60,
          Statistics: ['Maximum'],
        }),
      );
    expect(stats.Datapoints?.[0]?.Maximum).toBe(0);
  });

  it('is unhealthy when stale, and proceeds only for a manual drill or with triggers enabled', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS, endedAt: '2026-01-01T00:00:00.000000-05:00' });
    const gated = await run();
    expect(gated.io.outputs).toMatchObject({
      'needs-dr': 'true',
      proceed: 'false',
      'publish-correct': 'true',
    });
    expect(gated.reasons.map((r) => r.code)).toEqual(['stale']);
    expect((await run({ 'force-run': 'true' })).io.outputs.proceed).toBe('true');
    expect((await run({ 'enable-triggers': 'true' })).io.outputs.proceed).toBe('true');
    expect((await run({ 'force-run': 'false' })).io.outputs.proceed).toBe('false');
  });

  it.each([
    ['a malformed global pointer', { global: '{"run_id": "r", ' }, 'global', 'pointer_malformed'],
    ['a missing global pointer', { global: null }, 'global', 'pointer_missing'],
    [
      'a future ended_at',
      { global: { run_id: 'run-42', ended_at: '2099-01-01T00:00:00Z' } },
      'global',
      'pointer_in_future',
    ],
    [
      'a run_id mismatch',
      { pairPointers: { 'acme/hourly': { run_id: 'run-41' } } },
      'acme/hourly',
      'run_id_mismatch',
    ],
    [
      'a missing provider pointer',
      { pairPointers: { 'globex/daily': null } },
      'globex/daily',
      'pointer_missing',
    ],
    ['a missing marker', { missingMarkers: ['globex/daily'] }, 'globex/daily', 'marker_missing'],
  ])('turns %s into a reason, never a crash', async (_label, seed, subject, code) => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS, ...seed });
    const { io, receipt, reasons } = await run();
    expect(io.outputs.status).toBe('ok');
    expect(io.outputs['needs-dr']).toBe('true');
    expect(reasons).toContainEqual(expect.objectContaining({ subject, code }));
    expect(ReceiptSchema.safeParse(receipt?.receipt).success).toBe(true);
  });

  it('ages a pointer without ended_at from its LastModified', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS, global: { run_id: 'run-42' } });
    const { io } = await run();
    expect(Number(io.outputs['freshness-hours'])).toBeLessThan(0.1);
    expect(io.outputs['needs-dr']).toBe('false');
  });

  it('reports AccessDenied on a pointer as a reason (403 injected on the wire)', async () => {
    const seedAws = new AwsClients();
    await seedPublisher(seedAws.s3, { pairs: PAIRS });
    await ensureBucket(seedAws.s3, 'receipts');
    const proxy = await startFaultProxy(emulator.endpoint, [
      { match: (r) => r.url.includes('acme/daily/last_success.json'), status: 403, code: 'AccessDenied' },
    ]);
    try {
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
      const { io, reasons } = await run({}, new AwsClients());
      expect(reasons).toEqual([
        expect.objectContaining({ subject: 'acme/daily', code: 'pointer_unreadable' }),
      ]);
      expect(io.outputs['publish-correct']).toBe('false');
    } finally {
      process.env.AWS_ENDPOINT_URL = emulator.endpoint;
      await proxy.close();
    }
  });

  it('retries throttling (503 SlowDown) and succeeds', async () => {
    const seedAws = new AwsClients();
    await seedPublisher(seedAws.s3, { pairs: PAIRS });
    await ensureBucket(seedAws.s3, 'receipts');
    const proxy = await startFaultProxy(emulator.endpoint, [
      { match: (r) => r.url.includes('state/last_success.json'), status: 503, code: 'SlowDown', times: 2 },
    ]);
    try {
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
      const { io } = await run({}, new AwsClients());
      expect(io.outputs['needs-dr']).toBe('false');
      expect(proxy.seen.filter((r) => r.status === 503)).toHaveLength(2);
    } finally {
      process.env.AWS_ENDPOINT_URL = emulator.endpoint;
      await proxy.close();
    }
  });

  it.each([
    [
      'a non-numeric max-freshness-hours',
      { 'max-freshness-hours': 'two days' },
      "input 'max-freshness-hours'",
    ],
    // Required and missing reads the same in every phase (run-phase.ts); a list of only commas is empty.
    ['an empty provider list', { providers: '' }, "input 'providers': is required"],
    ['a provider list of separators', { providers: ' , ' }, "input 'providers': is empty"],
    ['a bucket with illegal characters', { 'publish-bucket': 'Publisher_Bucket' }, "input 'publish-bucket'"],
    ['a prefix with illegal characters', { 'publish-prefix': 'batch;rm -rf' }, "input 'publish-prefix'"],
  ])(
    'fails on %s with a clear input error and still writes a parseable receipt',
    async (_label, overrides, message) => {
      const { io, result, receipt } = await run(overrides);
      expect(result.failure?.reason).toBe('invalid_input');
      expect(io.failure).toContain(message);
      const parsed = ReceiptSchema.parse(receipt?.receipt);
      expect(parsed.status).toBe('failed');
      expect(parsed.error?.message).toContain(message);
    },
  );

  it('records the target in the receipt: the default target unless one is named (issue 22.1)', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS });
    expect((await run({}, aws)).receipt?.receipt?.target).toEqual({ name: 'default', kind: 'k3s' });
    const named = await run(
      { target: 'orders-eu', 'target-kind': 'eks', 'execution-id': 'drill-orders' },
      aws,
    );
    expect(named.receipt?.receipt?.target).toEqual({ name: 'orders-eu', kind: 'eks' });
  });

  it.each([
    [{ target: 'Orders' }, "input 'target'"],
    [{ 'target-kind': 'gke' }, "input 'target-kind'"],
  ])('refuses a malformed target %j by name, before writing anything', async (overrides, message) => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS });
    const { io, receipt } = await run(overrides, aws);
    expect(io.failure).toContain(message);
    expect(receipt).toBeUndefined();
  });

  it('refuses the wrong AWS account by name, before writing anything', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS });
    const { io, receipt } = await run({ 'expected-account-id': '111111111111' }, aws);
    expect(io.failure).toMatch(/account 123456789012, but expected-account-id is 111111111111/);
    expect(receipt).toBeUndefined();
    const objects = await aws.s3.send(new ListObjectsV2Command({ Bucket: 'receipts' }));
    expect(objects.KeyCount).toBe(0);
  });

  it('runs when the expected account matches', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: PAIRS });
    const { io } = await run({ 'expected-account-id': EMULATOR_ACCOUNT }, aws);
    expect(io.outputs.status).toBe('ok');
  });
});
