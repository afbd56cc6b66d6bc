import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { seedDrill } from '../helpers/drill-receipts.js';
import { useEmulator } from '../helpers/emulator.js';
import { startGitHubStandIn } from '../helpers/github-api.js';
import { captureTerminal } from '../helpers/terminal.js';

/**
 * Issue 23.2: the freshness schedule publishes DrillAgeHours, the age of the newest VERIFIED drill,
 * decided by the same readers as `standby triggers enable` (evidence collect + check of each drill,
 * newest first; GitHub confirms the run is drill.yml's). Receipts are planted in moto over HTTP as
 * drill.yml writes them; the metric is read back with GetMetricStatistics in check-health's namespace
 * and its default dimension (Pipeline=<publish bucket>/<publish prefix>).
 */
useEmulator();

const REPO = '/repos/octo/standby';
const SERIES = {
  Namespace: 'Standby/Pipeline',
  MetricName: 'DrillAgeHours',
  Dimensions: [{ Name: 'Pipeline', Value: 'acme-publish/batch' }],
};
let api: Awaited<ReturnType<typeof startGitHubStandIn>>;

beforeEach(async () => {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: 'receipts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
  process.env.GH_TOKEN = 'ghs_freshnessjobtoken0123456789abcdefgh';
});
afterEach(async () => {
  await api?.close();
  delete process.env.GH_TOKEN;
  delete process.env.GITHUB_API_URL;
});

/** GitHub knows these runs as drill.yml runs of octo/standby; any other id is a 404. */
async function github(runs: number[]) {
  api = await startGitHubStandIn(
    Object.fromEntries(
      runs.map((id) => [
        `GET ${REPO}/actions/runs/${id}`,
        [{ status: 200, body: { id, path: '.github/workflows/drill.yml', html_url: `https://x/${id}` } }],
      ]),
    ),
  );
  process.env.GITHUB_API_URL = api.url;
}

async function drillAge(...extra: string[]) {
  const term = captureTerminal();
  const code = await runCli(
    [
      'drill-age',
      '--repo',
      'octo/standby',
      '--receipt-bucket',
      'receipts',
      '--publish',
      '--publish-bucket',
      'acme-publish',
      '--publish-prefix',
      'batch',
      ...extra,
    ],
    term,
  );
  return { code, out: term.stdout.join('\n'), err: term.stderr.join('\n') };
}

async function published(): Promise<number[]> {
  const { Datapoints } = await new CloudWatchClient({}).send(
    new GetMetricStatisticsCommand({
      ...SERIES,
      StartTime: new Date(Date.now() - 3_600_000),
      EndTime: new Date(Date.now() + 60_000),
      Period: 3600,
      Statistics: ['Maximum'],
    }),
  );
  return (Datapoints ?? []).map((d) => d.Maximum as number);
}

describe('standby drill-age --publish (DrillAgeHours)', () => {
  it('publishes the age of the newest verified drill, passing over a newer failed one', async () => {
    await github([4001, 4242, 5001]);
    await seedDrill('4001', 40);
    const proof = await seedDrill('4242', 3);
    await seedDrill('5001', 1, { status: { validate: 'failed' } });
    const { code, out } = await drillAge('--json');
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(out);
    expect(result.newest_verified_drill).toMatchObject({ execution_id: proof, age_days: 3 });
    expect(result.newest_verified_drill.age_hours).toBeGreaterThanOrEqual(72);
    expect(result.newest_verified_drill.age_hours).toBeLessThan(72.1);
    expect(result.examined.map((e: { executionId: string }) => e.executionId)).toEqual(['drill-5001']);
    const values = await published();
    expect(values).toHaveLength(1);
    expect(values[0]).toBe(result.newest_verified_drill.age_hours);
  });

  it('no verified drill ever: exit 3 and nothing published (the alarm treats missing data as breaching)', async () => {
    await github([5001]);
    await seedDrill('5001', 1, { status: { restore: 'failed' } });
    const { code, err } = await drillAge();
    expect(code).toBe(EXIT.attention);
    expect(err).toContain(
      'no verified drill of octo/standby among the 1 newest: DrillAgeHours not published',
    );
    expect(await published()).toEqual([]);
  });

  it('no drill at all: exit 3, nothing published', async () => {
    await github([]);
    expect((await drillAge()).code).toBe(EXIT.attention);
    expect(await published()).toEqual([]);
  });

  it('a drill GitHub does not confirm (forged receipts) cannot make the age look fresh', async () => {
    await github([4242]);
    await seedDrill('4242', 20);
    await seedDrill('9999', 0); // verified receipts, but GitHub knows no run 9999
    const { code, out } = await drillAge('--json');
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(out);
    expect(result.newest_verified_drill).toMatchObject({ execution_id: 'drill-4242', age_days: 20 });
    expect(result.examined).toEqual([
      { executionId: 'drill-9999', why: expect.stringContaining('GitHub knows no run 9999') },
    ]);
    expect((await published())[0]).toBeGreaterThanOrEqual(480);
  });

  it('a drill that ends in the future is passed over, not published as age 0', async () => {
    await github([4242, 6001]);
    await seedDrill('4242', 2);
    await seedDrill('6001', -3);
    const { out } = await drillAge('--json');
    const result = JSON.parse(out);
    expect(result.newest_verified_drill.execution_id).toBe('drill-4242');
    expect(result.examined[0].why).toContain('ends in the future');
  });

  it('without --publish: reports the age, puts nothing', async () => {
    await github([4242]);
    await seedDrill('4242', 1);
    const term = captureTerminal();
    const code = await runCli(['drill-age', '--repo', 'octo/standby', '--receipt-bucket', 'receipts'], term);
    expect(code).toBe(EXIT.ok);
    expect(term.stdout.join('\n')).toMatch(
      /Newest verified drill of octo\/standby: drill-4242, ended .*: 24(\.\d+)? h \(1 day\(s\)\) ago\./,
    );
    expect(await published()).toEqual([]);
  });

  it('--publish without dimensions or a publish bucket is a usage error before any call', async () => {
    await github([]);
    const term = captureTerminal();
    const code = await runCli(
      ['drill-age', '--repo', 'octo/standby', '--receipt-bucket', 'receipts', '--publish'],
      term,
    );
    expect(code).toBe(EXIT.usage);
    expect(term.stderr.join('\n')).toContain('--metric-dimensions');
    expect(api.requests).toEqual([]);
  });
});
