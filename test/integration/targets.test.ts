// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${local.x} are literal strings here
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { ListObjectsV2Command, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { targetReceiptPrefix } from '../../src/targets/receipts.js';
import { seedDrill } from '../helpers/drill-receipts.js';
import { useEmulator } from '../helpers/emulator.js';
import { startGitHubStandIn } from '../helpers/github-api.js';
import { seedPublisher } from '../helpers/publisher.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { captureTerminal } from '../helpers/terminal.js';
import { resource } from '../helpers/terraform-modules.js';
import type { Value } from '../terraform/hcl-eval.js';
import { type Orchestrator, orchestrator } from '../terraform/orchestrator-fixture.js';
import { type Context, fill } from '../workflows/expressions.js';
import { type Job, loadWorkflows, type Workflow } from '../workflows/load.js';
import { callInputs, matrixLegs, simulate } from '../workflows/simulate.js';

/**
 * Issue 22.9: two targets side by side, on the emulator. `orders` publishes on time, `search` stopped 40 h
 * ago. One scheduled freshness run checks both (the matrix over the STANDBY_TARGETS value Terraform
 * writes), each through the real check-health phase against moto over HTTP, with the inputs the workflow
 * fills: each writes its own receipts folder and its own metric series, and only search's series crosses
 * its alarm's threshold. While a drill of orders is up, search's alarm starts search's real DR: another
 * concurrency group, another folder, and the drill's receipts are untouched. `standby status --targets`
 * then shows both in one table.
 */
useEmulator();

const TARGETS: Record<string, Value> = {
  orders: {
    publish_bucket: 'orders-publish',
    publish_prefix: 'batch',
    providers: [{ provider: 'acme', profile: 'daily' }],
    expected_marker_file: '_SUCCESS',
    backup_bucket: 'acme-backups-dr',
    backup_prefix: 'orders',
  },
  search: {
    publish_bucket: 'search-publish',
    publish_prefix: 'batch',
    providers: [{ provider: 'openai', profile: 'top' }],
    expected_marker_file: '_SUCCESS',
    backup_bucket: 'acme-backups-dr',
    backup_prefix: 'search',
    namespace: 'search',
  },
};
const HOUR = 3_600_000;
const REPO = '/repos/octo/standby';

const workflows = loadWorkflows();
const byFile = (file: string) => workflows.find((w) => w.file === file) as Workflow;
const jobOf = (file: string, name: string) => byFile(file).jobs[name] as Job;

let o: Orchestrator;
let VARS: Record<string, string>;
let api: Awaited<ReturnType<typeof startGitHubStandIn>> | undefined;

beforeAll(async () => {
  o = await orchestrator({
    publish_bucket: null,
    publish_providers: null,
    backup_bucket: null,
    targets: TARGETS,
  });
  const written = o.value('${local.repository_variables}') as Record<string, string>;
  // The receipts bucket of the test helpers; no expected account or cross-region publisher on moto.
  VARS = {
    ...written,
    STANDBY_RECEIPT_BUCKET: 'receipts',
    STANDBY_AWS_ACCOUNT_ID: '',
    STANDBY_PRIMARY_REGION: '',
    STANDBY_ENABLE_TRIGGERS: 'true',
  };
});

beforeEach(async () => {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, 'receipts');
  await aws.s3.send(
    new PutBucketVersioningCommand({ Bucket: 'receipts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await seedPublisher(aws.s3, { bucket: 'orders-publish', pairs: ['acme/daily'] });
  await seedPublisher(aws.s3, {
    bucket: 'search-publish',
    pairs: ['openai/top'],
    endedAt: new Date(Date.now() - 40 * HOUR).toISOString(),
  });
  process.env.GH_TOKEN = 'ghs_targetsstatustoken0123456789abcdef';
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  delete process.env.GH_TOKEN;
  delete process.env.GITHUB_API_URL;
});

/** Runs the real check-health phase (the CLI) with the `with:` a workflow step was filled with. */
async function checkHealth(filled: Record<string, string>) {
  const args = ['check-health'];
  for (const [name, value] of Object.entries(filled))
    if (value !== '' && name !== 'expected-account-id') args.push(`--${name}`, value);
  args.push('--json');
  const term = captureTerminal();
  const code = await runCli(args, term);
  return { code, report: JSON.parse(term.stdout.join('\n')), err: term.stderr.join('\n') };
}

/** One scheduled freshness run: every matrix leg, each through freshness-target.yml's check-health. */
async function freshnessRun(runId: string) {
  const context: Context = { vars: VARS, github: { event_name: 'schedule', run_id: runId } };
  const legs = matrixLegs(jobOf('freshness.yml', 'target'), context);
  const results: Record<
    string,
    Awaited<ReturnType<typeof checkHealth>> & { filled: Record<string, string> }
  > = {};
  for (const leg of legs) {
    const given = Object.fromEntries(
      Object.entries(jobOf('freshness.yml', 'target').with ?? {}).map(([k, v]) => [
        k,
        fill(v, { matrix: leg }),
      ]),
    );
    const callee = byFile('freshness-target.yml');
    const run = simulate(callee, {
      inputs: callInputs(callee, given),
      vars: VARS,
      github: context.github as Record<string, string>,
    });
    const filled = run['check-health']?.inputs.phase as Record<string, string>;
    results[leg.target as string] = { ...(await checkHealth(filled)), filled };
  }
  return results;
}

/** The alarm's own series (Terraform's definition for that target), as CloudWatch answers for it. */
async function alarmSeries(name: string, target: string) {
  const block = resource(o.module, 'aws_cloudwatch_metric_alarm', name);
  const value = (raw: unknown) => o.instanceValue(block, target, raw);
  const dims = value(block.dimensions) as Record<string, string>;
  const { Datapoints } = await new CloudWatchClient({}).send(
    new GetMetricStatisticsCommand({
      Namespace: value(block.namespace) as string,
      MetricName: value(block.metric_name) as string,
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
      StartTime: new Date(Date.now() - HOUR),
      EndTime: new Date(Date.now() + 60_000),
      Period: 3600,
      Statistics: ['Maximum'],
    }),
  );
  return {
    values: (Datapoints ?? []).map((d) => d.Maximum as number),
    threshold: value(block.threshold) as number,
  };
}

const keysUnder = async (prefix: string) =>
  (
    (await new AwsClients().s3.send(new ListObjectsV2Command({ Bucket: 'receipts', Prefix: `${prefix}/` })))
      .Contents ?? []
  ).map((c) => (c.Key as string).slice(prefix.length + 1));

/** A drill of orders that is up: check-health, restore-precheck and bringup done, no teardown yet. */
async function drillOfOrdersUp(executionId: string) {
  const store = new S3ReceiptStore(new AwsClients().s3, {
    bucket: 'receipts',
    prefix: targetReceiptPrefix('standby/receipts', 'orders'),
    executionId,
  });
  const at = new Date(Date.now() - 10 * 60_000).toISOString();
  for (const phase of ['check-health', 'restore-precheck', 'bringup'] as const)
    await store.write(
      receiptDraft({
        execution_id: executionId,
        phase,
        started_at: at,
        ended_at: at,
        inputs: phase === 'bringup' ? { kind: 'drill', 'plan-only': false } : {},
        outputs: phase === 'check-health' ? { 'needs-dr': false, 'freshness-hours': 1 } : {},
      }),
    );
}

describe('two targets side by side on the emulator', () => {
  it('one freshness run checks both: the stale one needs DR and crosses its own alarm, the fresh one does not', async () => {
    const checked = await freshnessRun('42');
    expect(Object.keys(checked)).toEqual(['orders', 'search']);
    expect(checked.orders?.code).toBe(EXIT.ok);
    expect(checked.orders?.report.outputs['needs-dr']).toBe(false);
    expect(checked.search?.code).toBe(EXIT.attention);
    expect(checked.search?.report.outputs['needs-dr']).toBe(true);
    expect(checked.search?.report.outputs.reasons.map((r: { code: string }) => r.code)).toEqual(['stale']);

    // Each wrote its own folder, under its own execution id.
    expect(await keysUnder('standby/receipts/targets/orders')).toContain(
      'freshness-orders-42/check-health.json',
    );
    expect(await keysUnder('standby/receipts/targets/search')).toContain(
      'freshness-search-42/check-health.json',
    );

    // Each published to its own series, exactly the one its alarm watches.
    const orders = await alarmSeries('freshness', 'orders');
    const search = await alarmSeries('freshness', 'search');
    expect(orders.values).toHaveLength(1);
    expect(search.values).toHaveLength(1);
    expect(orders.values[0]).toBeLessThan(orders.threshold);
    expect(search.values[0]).toBeGreaterThan(search.threshold);
  });

  it("a drill of orders is up while search's alarm starts search's real DR: different groups, folders and ids", async () => {
    await drillOfOrdersUp('drill-orders-7');
    const before = await keysUnder('standby/receipts/targets/orders');

    // The bridge dispatches alarm.yml with search's alarm name; alarm.yml reads the target from it.
    const searchAlarm = JSON.parse(VARS.STANDBY_TARGETS as string).targets.search.alarms[0] as string;
    const alarmRun = simulate(byFile('alarm.yml'), {
      inputs: { 'alarm-name': searchAlarm, 'alarm-changed-at': '2026-12-04T01:00:00Z', 'dry-run': 'false' },
      vars: VARS,
      github: { run_id: '8' },
      outputs: { check: { start: 'true', target: 'search', 'triggered-at': '2026-12-04T01:00:00Z' } },
      jobs: {
        admission: {
          result: 'success',
          outputs: { decision: 'admitted', detail: 'no other real DR run in flight' },
        },
      },
    });
    const call = alarmRun.dr?.inputs.call as Record<string, string>;
    expect(call.target).toBe('search');
    expect(call['execution-id']).toBe('alarm-search-8');
    const admissionGroup = fill(
      typeof jobOf('alarm.yml', 'admission').concurrency === 'object'
        ? (jobOf('alarm.yml', 'admission').concurrency as { group: string }).group
        : '',
      { needs: { alarm: { outputs: { target: 'search' } } } },
    );
    const drillGroup = fill((jobOf('drill.yml', 'dr').concurrency as { group: string }).group, {
      matrix: { target: 'orders' },
    });
    expect(admissionGroup).toBe('standby-dr-admission-search');
    expect(drillGroup).toBe('standby-drill-orders');

    // The pipeline's check-health for search, as dr-pipeline.yml fills it for that call, on moto.
    const pipeline = byFile('dr-pipeline.yml');
    const run = simulate(pipeline, {
      inputs: callInputs(pipeline, call),
      vars: VARS,
      github: { run_id: '8' },
    });
    const filled = run['check-health']?.inputs['check-health'] as Record<string, string>;
    expect(filled['receipt-prefix']).toBe('standby/receipts/targets/search');
    const real = await checkHealth({ ...filled, 'execution-id': 'alarm-search-8' });
    expect(real.report.outputs).toMatchObject({ 'needs-dr': true, proceed: true });
    expect(await keysUnder('standby/receipts/targets/search')).toContain('alarm-search-8/check-health.json');
    // The drill of orders is untouched, and nothing went to the default target's folder.
    expect(await keysUnder('standby/receipts/targets/orders')).toEqual(before);
    expect((await keysUnder('standby/receipts')).filter((k) => !k.startsWith('targets/'))).toEqual([]);
  });

  it('standby status --targets: one table, every target with its health, last verified drill and open execution', async () => {
    // A finished, verified drill of orders (GitHub confirms run 4242 as drill.yml's); none of search.
    await seedDrill('4242', 2, {
      prefix: targetReceiptPrefix('standby/receipts', 'orders'),
      executionId: 'drill-orders-4242',
    });
    await drillOfOrdersUp('drill-orders-7');
    // The newest health check is the one written last (receipts are written as each phase ends).
    await freshnessRun('43');
    api = await startGitHubStandIn({
      [`GET ${REPO}/actions/variables/STANDBY_TARGETS`]: [
        { status: 200, body: { name: 'STANDBY_TARGETS', value: VARS.STANDBY_TARGETS } },
      ],
      [`GET ${REPO}/actions/runs/4242`]: [
        { status: 200, body: { id: 4242, path: '.github/workflows/drill.yml', html_url: 'https://x/4242' } },
      ],
    });
    process.env.GITHUB_API_URL = api.url;
    const term = captureTerminal();
    const code = await runCli(
      ['status', '--repo', 'octo/standby', '--targets', '--receipt-bucket', 'receipts', '--json'],
      term,
    );
    expect(code).toBe(EXIT.attention);
    const { targets } = JSON.parse(term.stdout.join('\n'));
    expect(targets.map((t: { target: string }) => t.target)).toEqual(['orders', 'search']);
    const [orders, search] = targets;
    expect(orders.health).toMatchObject({ state: 'healthy', executionId: 'freshness-orders-43' });
    expect(orders.last_verified_drill).toMatchObject({ execution_id: 'drill-orders-4242', age_days: 2 });
    expect(orders.open_executions).toEqual([
      expect.objectContaining({ executionId: 'drill-orders-7', kind: 'drill', lastPhase: 'bringup' }),
    ]);
    expect(search.health).toMatchObject({
      state: 'needs-dr',
      executionId: 'freshness-search-43',
      reasons: ['stale'],
    });
    expect(search.last_verified_drill).toBeNull();
    expect(search.open_executions).toEqual([]);

    // The text table names both, in one table.
    const text = captureTerminal(false);
    await runCli(['status', '--repo', 'octo/standby', '--targets', '--receipt-bucket', 'receipts'], text);
    const table = text.stdout.join('\n');
    expect(table).toMatch(/orders\s+healthy/);
    expect(table).toMatch(/search\s+needs DR \([\d.]+ h old; stale\)/);
    expect(table).toContain('drill-orders-7 (drill, at bringup)');
    expect(table).toContain('drill-orders-4242 (2 d ago)');
  });

  it('status --targets refuses a bad --target before reading anything', async () => {
    const term = captureTerminal();
    const code = await runCli(
      [
        'status',
        '--repo',
        'octo/standby',
        '--targets',
        '--target',
        'Bad_Name',
        '--receipt-bucket',
        'receipts',
      ],
      term,
    );
    expect(code).toBe(EXIT.usage);
    expect(term.stderr.join('\n')).toContain('--target');
  });
});
