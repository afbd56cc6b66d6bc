import { existsSync, readFileSync } from 'node:fs';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { AwsClients } from '../../src/aws/clients.js';
import { emulatorEnv } from '../../src/emulator/moto.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { ReceiptSchema } from '../../src/receipts/envelope.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { seedPublisher } from '../helpers/publisher.js';
import { runDistAction } from '../helpers/run-dist.js';

const emulator = useEmulator();

describe('dist/check-health.js run the way the Actions runner runs it', () => {
  it('is what actions/check-health/action.yml runs, on node24', () => {
    const action = parse(readFileSync('actions/check-health/action.yml', 'utf8'));
    expect(action.runs).toEqual({ using: 'node24', main: '../../dist/check-health.js' });
    expect(existsSync('dist/check-health.js')).toBe(true);
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['publish-bucket', 'providers', 'force-run', 'receipt-bucket']),
    );
  });

  it('writes outputs, metrics, a receipt and a job summary', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: ['acme/daily', 'acme/hourly'], missingMarkers: ['acme/hourly'] });
    await ensureBucket(aws.s3, 'receipts');
    const run = await runDistAction(
      'check-health.js',
      {
        'publish-bucket': 'publisher',
        'publish-prefix': 'batch',
        providers: 'acme/daily\nacme/hourly',
        'receipt-bucket': 'receipts',
        'force-run': 'false',
      },
      emulatorEnv(emulator.endpoint),
    );
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      'needs-dr': 'true',
      proceed: 'false',
      'publish-correct': 'false',
      status: 'ok',
    });
    expect(JSON.parse(run.outputs.reasons ?? '')).toEqual([
      expect.objectContaining({ code: 'marker_missing', subject: 'acme/hourly' }),
    ]);
    expect(run.outputs['receipt-uri']).toBe('s3://receipts/standby/receipts/gh-4242/check-health.json');
    expect(run.summary).toContain('## Check publishing health: ✅ ok');
    expect(run.summary).toMatch(/\| acme\/hourly \| expected marker file is missing \|/);

    const receipts = await new S3ReceiptStore(aws.s3, {
      bucket: 'receipts',
      prefix: 'standby/receipts',
      executionId: 'gh-4242',
    }).list();
    const receipt = ReceiptSchema.parse(receipts[0]?.receipt);
    expect(receipt.source).toMatchObject({
      kind: 'github-actions',
      repository: 'acme/standby-drills',
      run_id: '4242',
      actor: 'octocat',
    });
    expect(receipt.inputs).toMatchObject({ providers: 'acme/daily\nacme/hourly' });
    const metrics = await aws
      .client('cloudwatch', (c) => new CloudWatchClient(c))
      .send(new ListMetricsCommand({ Namespace: 'Standby/Pipeline' }));
    expect(metrics.Metrics).toHaveLength(3);
  });

  it('fails the step with a clear message on a bad boolean, and records it', async () => {
    const aws = new AwsClients();
    await ensureBucket(aws.s3, 'receipts');
    const run = await runDistAction(
      'check-health.js',
      {
        'publish-bucket': 'publisher',
        providers: 'acme/daily',
        'receipt-bucket': 'receipts',
        'force-run': 'yes',
        'execution-id': 'bad-bool',
      },
      emulatorEnv(emulator.endpoint),
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      "::error::check-health failed: input 'force-run': expected true or false, got 'yes'",
    );
    expect(run.outputs.status).toBe('failed');
  });

  it('runs through the umbrella action with phase: check-health', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: ['acme/daily'] });
    const run = await runDistAction(
      'action.js',
      {
        phase: 'check-health',
        'publish-bucket': 'publisher',
        'publish-prefix': 'batch',
        providers: 'acme/daily',
      },
      emulatorEnv(emulator.endpoint),
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs['needs-dr']).toBe('false');
    expect(run.stdout).toContain('no receipt-bucket given');
  });
});
