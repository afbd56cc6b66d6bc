import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { DRILL_REQUIRED_PHASES } from '../../src/evidence/bundle.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { seedDrill } from '../helpers/drill-receipts.js';
import { useEmulator } from '../helpers/emulator.js';
import { startGitHubStandIn } from '../helpers/github-api.js';
import { captureTerminal } from '../helpers/terminal.js';

/**
 * Issue 20.6: turning triggers on was advice only (deploy.md: "a green drill is the condition"). On
 * 3e3f8fe there was no `standby triggers` command at all. The receipts below are what a drill of
 * octo/standby (drill.yml) leaves in its receipt bucket on AWS (no endpoint override), stored in moto
 * over HTTP; the repository variable is set on the loopback GitHub stand-in.
 */
useEmulator();

const REPO = '/repos/octo/standby';
let api: Awaited<ReturnType<typeof startGitHubStandIn>>;

beforeEach(async () => {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: 'receipts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
  process.env.GH_TOKEN = 'ghp_operatorownreviewertoken0123456789ab';
});
afterEach(async () => {
  await api?.close();
  delete process.env.GH_TOKEN;
  delete process.env.GITHUB_API_URL;
});

/** GET /actions/runs/{id} as GitHub answers it for a drill.yml run (docs.github.com, "Get a workflow run"). */
const drillRun = (id: number, path = '.github/workflows/drill.yml') => ({
  status: 200,
  body: {
    id,
    name: 'drill',
    event: 'workflow_dispatch',
    status: 'completed',
    conclusion: 'success',
    path,
    html_url: `https://github.com/octo/standby/actions/runs/${id}`,
    created_at: '2026-11-22T01:00:00Z',
    updated_at: '2026-11-22T01:20:00Z',
  },
});

async function standIn(
  variable: 'false' | 'missing' = 'false',
  runs: Record<number, string> = {},
  targets?: string,
) {
  const runRoutes = Object.fromEntries(
    [4001, 4242, 5001, 6001, 7001, 7002].map((id) => [
      `GET ${REPO}/actions/runs/${id}`,
      [runs[id] === 'missing' ? { status: 404, body: { message: 'Not Found' } } : drillRun(id, runs[id])],
    ]),
  );
  const variableRoutes = Object.fromEntries(
    ['STANDBY_ENABLE_TRIGGERS', 'STANDBY_ENABLE_SCHEDULED_DRILLS'].flatMap((name) => [
      [
        `GET ${REPO}/actions/variables/${name}`,
        [
          variable === 'missing'
            ? { status: 404, body: { message: 'Not Found' } }
            : { status: 200, body: { name, value: 'false' } },
        ],
      ],
      [
        `PATCH ${REPO}/actions/variables/${name}`,
        [variable === 'missing' ? { status: 404, body: { message: 'Not Found' } } : { status: 204 }],
      ],
    ]),
  );
  api = await startGitHubStandIn({
    ...runRoutes,
    ...variableRoutes,
    [`POST ${REPO}/actions/variables`]: [{ status: 201, body: {} }],
    ...(targets
      ? {
          [`GET ${REPO}/actions/variables/STANDBY_TARGETS`]: [
            { status: 200, body: { name: 'STANDBY_TARGETS', value: targets } },
          ],
        }
      : {}),
  });
  process.env.GITHUB_API_URL = api.url;
}

async function enable(...extra: string[]) {
  const term = captureTerminal();
  const code = await runCli(
    ['triggers', 'enable', '--repo', 'octo/standby', '--receipt-bucket', 'receipts', ...extra],
    term,
  );
  return { code, out: term.stdout.join('\n'), err: term.stderr.join('\n') };
}

const writes = () => api.requests.filter((r) => r.method !== 'GET');

describe('standby triggers enable', () => {
  it('refuses with no drill at all: exit 3, says why and what to do, writes nothing', async () => {
    await standIn();
    const { code, err } = await enable();
    expect(code).toBe(EXIT.attention);
    expect(err).toContain(
      'refused: triggers stay off for octo/standby: no drill of this deployment has receipts here',
    );
    expect(err).toContain('Next: run a drill (gh workflow run drill.yml)');
    // Only the question which targets there are (STANDBY_TARGETS; unset: the one target default).
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${REPO}/actions/variables/STANDBY_TARGETS`,
    ]);
  });

  it('refuses when the only drill does not verify, naming the problem', async () => {
    await standIn();
    await seedDrill('5001', 2, { status: { validate: 'failed' } });
    const { code, err } = await enable();
    expect(code).toBe(EXIT.attention);
    expect(err).toMatch(
      /none of the 1 newest drill\(s\) verifies: drill-5001 \(evidence check found \d+ problem\(s\): .*status-not-ok/,
    );
    expect(writes()).toEqual([]);
  });

  it('refuses a verified drill older than --within-days, naming its date', async () => {
    await standIn();
    await seedDrill('4001', 45);
    const { code, err } = await enable();
    expect(code).toBe(EXIT.attention);
    expect(err).toMatch(
      /the newest verified drill, drill-4001, ended \d{4}-\d\d-\d\dT[\d:.]+Z \(45 days ago\): triggers need one verified within the last 30 days/,
    );
    expect(writes()).toEqual([]);
    // A longer window accepts the same drill.
    expect((await enable('--within-days', '60')).code).toBe(EXIT.ok);
  });

  it('refuses a drill written by another repository', async () => {
    await standIn();
    await seedDrill('6001', 1, { repository: 'octo/other' });
    const { code, err } = await enable();
    expect(code).toBe(EXIT.attention);
    expect(err).toContain('drill-6001 (written by octo/other, not octo/standby)');
    expect(writes()).toEqual([]);
  });

  it('enables with a recent verified drill: sets the variable and names the drill that proved it', async () => {
    await standIn();
    await seedDrill('4001', 40);
    const proof = await seedDrill('4242', 3);
    await seedDrill('5001', 1, { status: { validate: 'failed' } });
    const { code, out } = await enable();
    expect(code).toBe(EXIT.ok);
    expect(out).toContain('Triggers enabled for octo/standby: STANDBY_ENABLE_TRIGGERS=true (was false).');
    expect(out).toMatch(
      new RegExp(
        `Proved by ${proof} \\(run 4242 of octo/standby, https://github.com/octo/standby/actions/runs/4242\\), ended .*, 3 day\\(s\\) ago`,
      ),
    );
    expect(out).toContain(`evidence check verified ${DRILL_REQUIRED_PHASES.length} receipt(s)`);
    expect(out).toMatch(/Passed over drill-5001: evidence check found/);
    expect(writes()).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        url: '/repos/octo/standby/actions/variables/STANDBY_ENABLE_TRIGGERS',
      }),
    ]);
    expect(JSON.parse(writes()[0]?.body ?? '{}')).toEqual({ name: 'STANDBY_ENABLE_TRIGGERS', value: 'true' });
  });

  it('creates the variable when the repository has none yet (--json)', async () => {
    await standIn('missing');
    await seedDrill('4242', 0);
    const { code, out } = await enable('--json');
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      enabled: true,
      variable: { name: 'STANDBY_ENABLE_TRIGGERS', before: null, after: 'true' },
      proof: { executionId: 'drill-4242', verified: true, runId: '4242', repository: 'octo/standby' },
    });
    expect(result.proof.chain.head.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(writes().map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /repos/octo/standby/actions/variables/STANDBY_ENABLE_TRIGGERS',
      'POST /repos/octo/standby/actions/variables',
    ]);
  });

  it.each([
    ['GitHub knows no such run', 'missing', 'GitHub knows no run 4242 in octo/standby, which drill-4242'],
    [
      'the run is not drill.yml',
      '.github/workflows/alarm.yml',
      'run 4242 of octo/standby is .github/workflows/alarm.yml, not drill.yml',
    ],
  ])('refuses a verified drill whose run GitHub does not confirm (%s)', async (_label, run, message) => {
    await standIn('false', { 4242: run });
    await seedDrill('4242', 1);
    const { code, err } = await enable();
    expect(code).toBe(EXIT.attention);
    expect(err).toContain(message);
    expect(writes()).toEqual([]);
  });

  it('--scheduled-drills: the same gate sets STANDBY_ENABLE_SCHEDULED_DRILLS and leaves the triggers alone', async () => {
    await standIn();
    await seedDrill('4242', 2);
    const { code, out } = await enable('--scheduled-drills');
    expect(code).toBe(EXIT.ok);
    expect(out).toContain(
      'Scheduled drills enabled for octo/standby: STANDBY_ENABLE_SCHEDULED_DRILLS=true (was false).',
    );
    expect(out).toContain('enable_scheduled_drills = true');
    expect(writes().map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /repos/octo/standby/actions/variables/STANDBY_ENABLE_SCHEDULED_DRILLS',
    ]);
    expect(JSON.parse(writes()[0]?.body ?? '{}')).toEqual({
      name: 'STANDBY_ENABLE_SCHEDULED_DRILLS',
      value: 'true',
    });
  });

  it('--scheduled-drills with no verified drill: refused, nothing written (off until the first verified drill)', async () => {
    await standIn();
    await seedDrill('5001', 1, { status: { validate: 'failed' } });
    const { code, err } = await enable('--scheduled-drills');
    expect(code).toBe(EXIT.attention);
    expect(err).toContain('refused: scheduled drills stay off for octo/standby');
    expect(writes()).toEqual([]);
  });

  it('--dry-run checks and names the proof but writes nothing', async () => {
    await standIn();
    await seedDrill('4242', 1);
    const { code, out } = await enable('--dry-run');
    expect(code).toBe(EXIT.ok);
    expect(out).toContain(
      'Dry run: triggers may be enabled for octo/standby; STANDBY_ENABLE_TRIGGERS left at false.',
    );
    expect(writes()).toEqual([]);
  });

  it('an emulator rehearsal proves nothing', async () => {
    await standIn();
    const executionId = await seedDrill('7001', 1);
    // The same drill, but its receipts say they went through an endpoint override (the emulator).
    const store = new S3ReceiptStore(new AwsClients().s3, {
      bucket: 'receipts',
      prefix: 'standby/receipts',
      executionId: 'drill-7002',
    });
    for (const stored of await new S3ReceiptStore(new AwsClients().s3, {
      bucket: 'receipts',
      prefix: 'standby/receipts',
      executionId,
    }).list()) {
      const { attempt: _a, sequence: _s, previous: _p, ...draft } = stored.receipt as Receipt;
      await store.write({
        ...draft,
        execution_id: 'drill-7002',
        source: { ...draft.source, run_id: '7002' },
        aws: { ...draft.aws, endpoint: 'http://127.0.0.1:5000' },
      });
    }
    const { code, err } = await enable('--max-drills', '1');
    expect(code).toBe(EXIT.attention);
    expect(err).toContain('drill-7002 (evidence check found');
    expect(err).toContain('emulator-bundle');
  });

  it.each([
    [['--within-days', '0'], '--within-days'],
    [['--receipt-bucket', 'Bad_Bucket'], "--receipt-bucket: 'Bad_Bucket'"],
    [['--expected-account-id', 'x'], '--expected-account-id'],
  ])('%j is a usage error before any call', async (args, named) => {
    await standIn();
    const { code, err } = await enable(...args);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain(named);
    expect(api.requests).toEqual([]);
  });

  it('another AWS account reads nothing and writes nothing', async () => {
    await standIn();
    await seedDrill('4242', 1);
    const { code, err } = await enable('--expected-account-id', '111111111111');
    expect(code).toBe(EXIT.failed);
    expect(err).toContain('but --expected-account-id is 111111111111');
    expect(api.requests).toEqual([]);
  });
});

it('the Terraform variable and the docs send people to the command, with its default window', async () => {
  const { readFileSync } = await import('node:fs');
  const tf = readFileSync('terraform/orchestrator/variables.tf', 'utf8');
  const block = tf.slice(tf.indexOf('variable "enable_triggers"'));
  const description = /description\s*=\s*"([^"]*)"/.exec(block)?.[1] ?? '';
  const { triggersCommand } = await import('../../src/cli/commands/triggers.js');
  const enableCmd = triggersCommand(captureTerminal()).commands.find((c) => c.name() === 'enable');
  const days = enableCmd?.options.find((o) => o.long === '--within-days')?.defaultValue;
  expect(description).toContain('`standby triggers enable`');
  expect(description).toContain(`within the last ${days} days`);
  for (const doc of ['docs/deploy.md', 'docs/terraform.md'])
    expect(readFileSync(doc, 'utf8')).toContain('standby triggers enable');
});

describe('standby triggers enable with several targets (issue 22: the switch is one for every target)', () => {
  const TARGETS = JSON.stringify({ names: ['orders', 'search'], targets: {} });
  const drillOf = (target: string, runId: string, daysAgo: number) =>
    seedDrill(runId, daysAgo, {
      prefix: `standby/receipts/targets/${target}`,
      executionId: `drill-${target}-${runId}`,
    });

  it("refuses while one target has no verified drill, naming that target; the other's drill is not enough", async () => {
    await standIn('false', {}, TARGETS);
    await drillOf('orders', '4242', 2);
    // A drill in the default folder is no target's drill here.
    await seedDrill('4001', 1);
    const { code, err } = await enable();
    expect(code).toBe(EXIT.attention);
    expect(err).toContain(
      'refused: triggers stay off for octo/standby: target search: no drill of this deployment has receipts here',
    );
    expect(writes()).toEqual([]);
  });

  it('enables once every target has its own verified drill, and lists each proof', async () => {
    await standIn('false', {}, TARGETS);
    await drillOf('orders', '4242', 2);
    await drillOf('search', '5001', 3);
    const { code, out } = await enable('--json');
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(out);
    expect(result.enabled).toBe(true);
    expect(result.targets).toEqual([
      expect.objectContaining({
        target: 'orders',
        receipts: 's3://receipts/standby/receipts/targets/orders/',
        proof: expect.objectContaining({ execution_id: 'drill-orders-4242' }),
        refused: null,
      }),
      expect.objectContaining({
        target: 'search',
        proof: expect.objectContaining({ execution_id: 'drill-search-5001' }),
      }),
    ]);
    expect(writes().map((r) => `${r.method} ${r.url}`)).toEqual([
      `PATCH ${REPO}/actions/variables/STANDBY_ENABLE_TRIGGERS`,
    ]);
  });
});
