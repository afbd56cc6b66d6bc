import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { checkHealth } from '../../src/phases/check-health/index.js';
import { restorePrecheck } from '../../src/phases/restore-precheck/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { ReceiptSchema } from '../../src/receipts/envelope.js';
import { seedBackup } from '../helpers/backup.js';
import { useEmulator } from '../helpers/emulator.js';
import { seedPublisher } from '../helpers/publisher.js';
import { credentialScope, startRegionOutageProxy } from '../helpers/region-outage-proxy.js';

// A regional incident: the publisher and its bucket live in the primary region (us-west-2); the runner,
// its state, the receipts, the metrics and the backup replica live in the DR region (eu-west-1).
const PRIMARY = 'us-west-2';
const DR = 'eu-west-1';
const PAIRS = ['acme/daily', 'acme/hourly'];
const emulator = useEmulator();
let proxy: Awaited<ReturnType<typeof startRegionOutageProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
});

const s3In = (region: string) => new S3Client({ region, forcePathStyle: true });
async function bucketIn(region: string, bucket: string) {
  await s3In(region).send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: region as never },
    }),
  );
}

async function outage(outages: Parameters<typeof startRegionOutageProxy>[1]) {
  proxy = await startRegionOutageProxy(emulator.endpoint, outages);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  return proxy;
}

async function checkHealthInDr(overrides: Record<string, string> = {}) {
  const io = new MemoryIO({
    'execution-id': 'alarm-77',
    'aws-region': DR,
    'receipt-bucket': 'receipts-dr',
    'publish-bucket': 'publisher',
    'publish-prefix': 'batch',
    'publish-region': PRIMARY,
    providers: PAIRS.join(','),
    ...overrides,
  });
  const started = Date.now();
  const outcome = await runPhase(checkHealth, io, { env: {} });
  return {
    io,
    ...outcome,
    ms: Date.now() - started,
    reasons: JSON.parse(io.outputs.reasons ?? '[]') as { code: string; subject: string }[],
  };
}

describe('the signature names the region (how the outage proxy picks requests)', () => {
  it('reads region and service from a SigV4 credential scope', () => {
    expect(
      credentialScope(
        'AWS4-HMAC-SHA256 Credential=testing/20261128/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=abc',
      ),
    ).toEqual({ region: 'us-west-2', service: 's3' });
    expect(credentialScope(undefined)).toEqual({ region: undefined, service: undefined });
  });
});

describe('detection survives a regional incident', () => {
  it('with the primary region down: S3 unreadable is a reason, metrics and the receipt land in the DR region', async () => {
    await bucketIn(PRIMARY, 'publisher');
    await seedPublisher(s3In(PRIMARY), { pairs: PAIRS });
    await bucketIn(DR, 'receipts-dr');
    const down = await outage([{ region: PRIMARY }]);
    const { io, receipt, reasons, ms } = await checkHealthInDr({ 'enable-triggers': 'true' });
    expect(io.outputs).toMatchObject({
      status: 'ok',
      'needs-dr': 'true',
      proceed: 'true',
      'publish-region': PRIMARY,
    });
    expect(reasons).toContainEqual(
      expect.objectContaining({ subject: 'global', code: 'pointer_unreadable' }),
    );
    expect(reasons.map((r) => r.code)).not.toContain('pointer_missing');
    // The primary was asked (and retried a bounded number of times), only for the global pointer.
    expect(down.hits.every((h) => h.region === PRIMARY && h.service === 's3')).toBe(true);
    expect(down.hits).toHaveLength(3); // maxAttempts 3 on the publish bucket's client
    expect(ms).toBeLessThan(30_000);
    expect(JSON.parse(io.outputs['metrics-published'] as string).sort()).toEqual([
      'NeedsDR',
      'PublishCorrectness',
    ]);
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    const metrics = await new AwsClients({ region: DR })
      .client('cloudwatch', (c) => new CloudWatchClient(c))
      .send(new ListMetricsCommand({ Namespace: 'Standby/Pipeline' }));
    expect(metrics.Metrics?.map((m) => m.MetricName).sort()).toEqual(['NeedsDR', 'PublishCorrectness']);
    expect(ReceiptSchema.parse(receipt?.receipt).aws.region).toBe(DR);
    expect(receipt?.uri).toMatch(/^s3:\/\/receipts-dr\//);
  });

  it('with CloudWatch failing: outputs and the receipt still carry the verdict, with a warning', async () => {
    await seedPublisher(s3In('us-east-1'), { pairs: PAIRS });
    await bucketIn(DR, 'receipts-dr');
    const down = await outage([{ service: 'monitoring', mode: 'reset' }]);
    const { io, receipt, result } = await checkHealthInDr({ 'publish-region': 'us-east-1' });
    expect(result.status).toBe('ok');
    expect(io.outputs).toMatchObject({ status: 'ok', 'needs-dr': 'false', proceed: 'false' });
    expect(io.outputs['metrics-published']).toBe('[]');
    expect(io.outputs['metrics-error']).toContain('CloudWatch PutMetricData failed');
    expect(io.logs.some((line) => line.startsWith('warning: CloudWatch PutMetricData failed'))).toBe(true);
    expect(io.summaries.join('\n')).toContain('⚠️ CloudWatch PutMetricData failed');
    expect(receipt?.receipt?.status).toBe('ok');
    expect(receipt?.receipt?.outputs['metrics-error']).toContain('PutMetricData');
    expect(down.hits.length).toBeGreaterThan(0);
  });

  it('a missing publish bucket reads as bucket_missing, once, not as missing pointers', async () => {
    await bucketIn(DR, 'receipts-dr');
    const { io, reasons } = await checkHealthInDr({
      'publish-bucket': 'no-such-publisher',
      'publish-region': DR,
    });
    expect(io.outputs['needs-dr']).toBe('true');
    expect(reasons).toEqual([expect.objectContaining({ subject: 'global', code: 'bucket_missing' })]);
    expect(io.summaries.join('\n')).toContain('not checked: the publish bucket is missing');
  });

  it('restore-precheck proves the replica in the DR region while the primary region is down', async () => {
    await bucketIn(DR, 'backups');
    await bucketIn(DR, 'receipts-dr');
    const backup = await seedBackup(s3In(DR), { createdUtc: new Date(Date.now() - 3_600_000).toISOString() });
    const down = await outage([{ region: PRIMARY }]);
    const io = new MemoryIO({
      'execution-id': 'alarm-77',
      'aws-region': DR,
      'receipt-bucket': 'receipts-dr',
      'backup-uri': backup.uri,
    });
    const { result, receipt } = await runPhase(restorePrecheck, io, { env: {} });
    expect(result.failure).toBeUndefined();
    expect(io.outputs['backup-id']).toBe('bk-20261122');
    expect(receipt?.receipt?.aws.region).toBe(DR);
    expect(down.hits).toEqual([]);
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    const stored = await s3In(DR).send(new ListObjectsV2Command({ Bucket: 'receipts-dr' }));
    expect(stored.Contents?.map((o) => o.Key)).toEqual([
      'standby/receipts/alarm-77/.seq/1.json', // its sequence claim (issue 19.3)
      'standby/receipts/alarm-77/restore-precheck.json',
    ]);
  });
});
