import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import type { ReceiptDraft } from '../../src/receipts/store.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import {
  forbidden,
  notFound,
  pendingDeployment,
  type ScriptedResponse,
  startGitHubStandIn,
} from '../helpers/github-api.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { captureTerminal } from '../helpers/terminal.js';

useEmulator();

const REPO = '/repos/octo-org/octo-repo';
const RUN = 30433642;

/** GET /actions/runs/{id} and /jobs, shaped like docs.github.com's examples. */
function run(overrides: Record<string, unknown> = {}) {
  return {
    id: RUN,
    name: 'drill',
    run_number: 562,
    event: 'workflow_dispatch',
    status: 'waiting',
    conclusion: null,
    workflow_id: 159038,
    path: '.github/workflows/drill.yml',
    head_sha: 'acb5820ced9479c074f688cc328bf03f341a511d',
    html_url: `https://github.com/octo-org/octo-repo/actions/runs/${RUN}`,
    created_at: '2026-11-22T01:00:00Z',
    updated_at: '2026-11-22T01:20:00Z',
    run_started_at: '2026-11-22T01:00:05Z',
    ...overrides,
  };
}
function job(name: string, status: string, conclusion: string | null, started: string) {
  return {
    id: Math.floor(Math.random() * 1e9),
    run_id: RUN,
    name,
    status,
    conclusion,
    started_at: started,
    completed_at: null,
    html_url: null,
  };
}
const JOBS = {
  total_count: 3,
  jobs: [
    job('dr / check-health', 'completed', 'success', '2026-11-22T01:00:10Z'),
    job('dr / validate', 'completed', 'success', '2026-11-22T01:10:00Z'),
    job('dr / approval', 'waiting', null, '2026-11-22T01:15:00Z'),
  ],
};

let api: Awaited<ReturnType<typeof startGitHubStandIn>>;
async function standIn(routes: Record<string, ScriptedResponse[]>) {
  api = await startGitHubStandIn(routes);
  process.env.GITHUB_API_URL = api.url;
}
beforeEach(() => {
  process.env.GH_TOKEN = 'ghp_operatorownreviewertoken0123456789ab';
});
afterEach(async () => {
  await api?.close();
  delete process.env.GH_TOKEN;
  delete process.env.GITHUB_API_URL;
});

const cli = async (args: string[]) => {
  const term = captureTerminal();
  const code = await runCli([...args, '--repo', 'octo-org/octo-repo'], term);
  return { code, out: term.stdout.join('\n'), err: term.stderr.join('\n') };
};

async function seedApprovalReceipt() {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, 'receipts');
  const store = new S3ReceiptStore(aws.s3, {
    bucket: 'receipts',
    prefix: 'standby/receipts',
    executionId: `drill-${RUN}`,
  });
  const draft: ReceiptDraft = {
    schema: 'standby.receipt/v1',
    execution_id: `drill-${RUN}`,
    phase: 'request-approval',
    status: 'ok',
    started_at: '2026-11-22T01:14:00.000Z',
    ended_at: '2026-11-22T01:14:02.000Z',
    duration_ms: 2000,
    source: {
      kind: 'github-actions',
      repository: 'octo-org/octo-repo',
      workflow: 'drill',
      run_id: String(RUN),
      run_attempt: '1',
      commit: null,
      actor: 'octocat',
      event: 'workflow_dispatch',
    },
    aws: { account_id: '123456789012', region: 'us-east-1', endpoint: null },
    inputs: {},
    outputs: {
      'summary-json': {
        execution_id: `drill-${RUN}`,
        environment: 'dr-promotion',
        instance_id: 'i-0abc1234def567890',
        image_ref: `registry.example.com/jobintel@sha256:${'a'.repeat(64)}`,
        image_digest: `sha256:${'a'.repeat(64)}`,
        release_metadata: { release: '2026.11.3' },
        backup: {
          uri: 's3://backups/prod/backups/b-20261121',
          id: 'b-20261121',
          created_utc: '2026-11-21T04:00:00Z',
          age_hours: 21.2,
        },
        validation: { result: 'passed', job_run_id: 'job-77' },
        receipts: [],
        timeline: [],
        rto_seconds: 840,
        rpo_hours: 21.2,
        missing: [],
      },
    },
    error: null,
  };
  await store.write(draft);
}

describe('standby status', () => {
  it('shows the current phase and the pending approval, exit 3 (needs attention)', async () => {
    await standIn({
      [`GET ${REPO}/actions/runs/${RUN}`]: [{ status: 200, body: run() }],
      [`GET ${REPO}/actions/runs/${RUN}/jobs`]: [{ status: 200, body: JOBS }],
      [`GET ${REPO}/actions/runs/${RUN}/pending_deployments`]: [{ status: 200, body: [pendingDeployment()] }],
    });
    const { code, out } = await cli(['status', '--run', String(RUN), '--json']);
    expect(code).toBe(EXIT.attention);
    expect(JSON.parse(out)).toMatchObject({
      current_phase: 'approval',
      failed_phases: [],
      waiting_for_approval: [{ environment: 'dr-promotion', you_can_approve: true, reviewers: ['octocat'] }],
      execution_id: `drill-${RUN}`,
      // No recover job finished: the RTO clock still runs, from the run's start (issue 15).
      rto: { from: '2026-11-22T01:00:05Z', reached: false, basis: 'jobs' },
    });
  });

  it('finds the newest run when none is given, and names a failed phase with its receipt reason', async () => {
    await standIn({
      [`GET ${REPO}/actions/workflows/drill.yml/runs`]: [
        {
          status: 200,
          body: { total_count: 1, workflow_runs: [run({ status: 'completed', conclusion: 'failure' })] },
        },
      ],
      [`GET ${REPO}/actions/workflows/alarm.yml/runs`]: [
        { status: 200, body: { total_count: 0, workflow_runs: [] } },
      ],
      [`GET ${REPO}/actions/workflows/freshness.yml/runs`]: [
        { status: 200, body: { total_count: 0, workflow_runs: [] } },
      ],
      [`GET ${REPO}/actions/runs/${RUN}`]: [
        { status: 200, body: run({ status: 'completed', conclusion: 'failure' }) },
      ],
      [`GET ${REPO}/actions/runs/${RUN}/jobs`]: [
        {
          status: 200,
          body: {
            total_count: 1,
            jobs: [job('dr / restore', 'completed', 'failure', '2026-11-22T01:05:00Z')],
          },
        },
      ],
      [`GET ${REPO}/actions/runs/${RUN}/pending_deployments`]: [{ status: 200, body: [] }],
    });
    const { code, out } = await cli(['status']);
    expect(code).toBe(EXIT.attention);
    expect(out).toMatch(/Failed\s+restore/);
    expect(out).toContain(`pass --receipt-bucket to read s3://…/drill-${RUN}/`);
  });

  it('says what to do when the token is missing or the run does not exist', async () => {
    delete process.env.GH_TOKEN;
    delete process.env.GITHUB_TOKEN;
    const missing = await cli(['status', '--run', '1']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.err).toContain('set GH_TOKEN');

    process.env.GH_TOKEN = 'ghp_operatorownreviewertoken0123456789ab';
    await standIn({ [`GET ${REPO}/actions/runs/999`]: [notFound] });
    const gone = await cli(['status', '--run', '999']);
    expect(gone.code).toBe(EXIT.failed);
    expect(gone.err).toMatch(/404/);
    expect(gone.err).not.toContain('ghp_');
  });
});

describe('standby status shows a serving standby (issue 20.2)', () => {
  it("from the execution's ok activate receipt: serving, since when, who approved, and what ends it", async () => {
    const aws = new AwsClients();
    await ensureBucket(aws.s3, 'receipts');
    const executionId = `alarm-${RUN}`;
    const store = new S3ReceiptStore(aws.s3, { bucket: 'receipts', prefix: 'standby/receipts', executionId });
    await store.write({
      schema: 'standby.receipt/v1',
      execution_id: executionId,
      phase: 'activate',
      status: 'ok',
      started_at: '2026-11-23T09:00:00.000Z',
      ended_at: '2026-11-23T09:01:00.000Z',
      duration_ms: 60_000,
      source: {
        kind: 'github-actions',
        repository: 'octo-org/octo-repo',
        workflow: 'octo-org/octo-repo/.github/workflows/activate.yml@refs/heads/main',
        run_id: '777',
        run_attempt: '1',
        commit: null,
        actor: 'oncall',
        event: 'workflow_dispatch',
      },
      aws: { account_id: '123456789012', region: 'us-east-1', endpoint: null },
      inputs: {},
      outputs: {
        activated: ['jobintel-daily'],
        'approved-by': 'octo-reviewer',
        serving: true,
        report: { serving: { marker: '/var/lib/standby/serving', expiry_timer: 'disabled' } },
      },
      error: null,
    });
    const alarmRun = run({
      name: 'alarm',
      path: '.github/workflows/alarm.yml',
      status: 'completed',
      conclusion: 'success',
    });
    await standIn({
      [`GET ${REPO}/actions/runs/${RUN}`]: [{ status: 200, body: alarmRun }],
      [`GET ${REPO}/actions/runs/${RUN}/jobs`]: [{ status: 200, body: { total_count: 0, jobs: [] } }],
      [`GET ${REPO}/actions/runs/${RUN}/pending_deployments`]: [{ status: 200, body: [] }],
    });
    const text = await cli(['status', '--run', String(RUN), '--receipt-bucket', 'receipts']);
    expect(text.out).toMatch(
      /Standby\s+serving since 2026-11-23T09:01:00.000Z \(approved by octo-reviewer\)/,
    );
    expect(text.out).toContain('only teardown.yml with a second person');
    const json = await cli(['status', '--run', String(RUN), '--receipt-bucket', 'receipts', '--json']);
    expect(JSON.parse(json.out).receipts.serving).toEqual({
      since: '2026-11-23T09:01:00.000Z',
      approved_by: 'octo-reviewer',
      expiry_timer: 'disabled',
    });
  });
});

describe('standby status --run --target (issue 22)', () => {
  it("reads a target's run from that target's folder under that target's execution id", async () => {
    const aws = new AwsClients();
    await ensureBucket(aws.s3, 'receipts');
    const executionId = `alarm-orders-${RUN}`;
    const store = new S3ReceiptStore(aws.s3, {
      bucket: 'receipts',
      prefix: 'standby/receipts/targets/orders',
      executionId,
    });
    await store.write(
      receiptDraft({
        execution_id: executionId,
        phase: 'check-health',
        status: 'failed',
        error: { message: 'orders publisher unreadable', reason: 'error' },
      }),
    );
    const alarmRun = run({
      name: 'alarm',
      path: '.github/workflows/alarm.yml',
      status: 'completed',
      conclusion: 'failure',
    });
    const routes = {
      [`GET ${REPO}/actions/runs/${RUN}`]: [{ status: 200, body: alarmRun }],
      [`GET ${REPO}/actions/runs/${RUN}/jobs`]: [{ status: 200, body: { total_count: 0, jobs: [] } }],
      [`GET ${REPO}/actions/runs/${RUN}/pending_deployments`]: [{ status: 200, body: [] }],
    };
    await standIn(routes);
    const json = await cli([
      'status',
      '--run',
      String(RUN),
      '--target',
      'orders',
      '--receipt-bucket',
      'receipts',
      '--json',
    ]);
    const status = JSON.parse(json.out);
    expect(status.execution_id).toBe(executionId);
    expect(status.receipts).toMatchObject({
      location: `s3://receipts/standby/receipts/targets/orders/${executionId}/`,
      count: 1,
      failed_phase: 'check-health',
    });
    // Without --target the same run is read as target default's: nothing there.
    await api.close();
    await standIn(routes);
    const plain = JSON.parse(
      (await cli(['status', '--run', String(RUN), '--receipt-bucket', 'receipts', '--json'])).out,
    );
    expect(plain.receipts.count).toBe(0);
    const twice = await cli(['status', '--run', String(RUN), '--target', 'a', '--target', 'b']);
    expect(twice.code).toBe(EXIT.usage);
  });
});

describe('standby approve / reject', () => {
  const pendingRoute = (body: unknown[]) => ({
    [`GET ${REPO}/actions/runs/${RUN}/pending_deployments`]: [{ status: 200, body }],
  });

  it('--dry-run shows the reviewer summary from the receipts and the request, and sends nothing', async () => {
    await seedApprovalReceipt();
    await standIn({
      ...pendingRoute([pendingDeployment()]),
      [`GET ${REPO}/actions/runs/${RUN}`]: [{ status: 200, body: run() }],
    });
    const { code, out } = await cli([
      'approve',
      '--run',
      String(RUN),
      '--ticket',
      'CHG-1234',
      '--receipt-bucket',
      'receipts',
      '--dry-run',
    ]);
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/Runner instance\s+i-0abc1234def567890/);
    // the seeded receipt predates image_digests: the summary still renders, with the row present
    expect(out).toMatch(/Images in the backup/);
    expect(out).toContain(`sha256:${'a'.repeat(64)}`);
    expect(out).toContain('"comment":"Approved via standby CLI, ticket CHG-1234"');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('approves with --yes: posts the environment id, state and a comment carrying the ticket', async () => {
    await standIn({
      ...pendingRoute([pendingDeployment()]),
      [`POST ${REPO}/actions/runs/${RUN}/pending_deployments`]: [
        { status: 200, body: [{ id: 42, environment: 'dr-promotion' }] },
      ],
    });
    const { code } = await cli([
      'approve',
      '--run',
      String(RUN),
      '--ticket',
      'CHG-1234',
      '--comment',
      'data checked',
      '--yes',
    ]);
    expect(code).toBe(EXIT.ok);
    const post = api.requests.find((r) => r.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      environment_ids: [161088068],
      state: 'approved',
      comment: 'Approved via standby CLI, ticket CHG-1234: data checked',
    });
    expect(post?.headers.authorization).toBe('token ghp_operatorownreviewertoken0123456789ab');
  });

  it('rejects with --yes and --json', async () => {
    await standIn({
      ...pendingRoute([pendingDeployment()]),
      [`POST ${REPO}/actions/runs/${RUN}/pending_deployments`]: [{ status: 200, body: [] }],
    });
    const { code, out } = await cli(['reject', '--run', String(RUN), '--ticket', 'INC-9', '--yes', '--json']);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out)).toMatchObject({
      sent: true,
      request: { state: 'rejected', comment: 'Rejected via standby CLI, ticket INC-9' },
    });
  });

  it('refuses when nothing is pending (already decided), naming the next step', async () => {
    await standIn(pendingRoute([]));
    const { code, err } = await cli(['approve', '--run', String(RUN), '--ticket', 'CHG-1', '--yes']);
    expect(code).toBe(EXIT.failed);
    expect(err).toContain('no deployment waiting for review: it was already approved or rejected');
  });

  it('refuses when the token user is not a required reviewer', async () => {
    await standIn(pendingRoute([{ ...pendingDeployment(), current_user_can_approve: false }]));
    const { code, err } = await cli(['approve', '--run', String(RUN), '--ticket', 'CHG-1', '--yes']);
    expect(code).toBe(EXIT.failed);
    expect(err).toContain("not a required reviewer of 'dr-promotion'");
  });

  it('reports 403 from GitHub on the review itself (not a reviewer, by the API)', async () => {
    await standIn({
      ...pendingRoute([pendingDeployment()]),
      [`POST ${REPO}/actions/runs/${RUN}/pending_deployments`]: [forbidden],
    });
    const { code, err } = await cli(['approve', '--run', String(RUN), '--ticket', 'CHG-1', '--yes']);
    expect(code).toBe(EXIT.failed);
    expect(err).toMatch(/403/);
  });

  it('reports 404 for an unknown run', async () => {
    await standIn({});
    const { code, err } = await cli(['reject', '--run', '5', '--ticket', 'CHG-1', '--yes']);
    expect(code).toBe(EXIT.failed);
    expect(err).toMatch(/404/);
  });

  it('refuses to send without --yes when there is no terminal to confirm on', async () => {
    await standIn(pendingRoute([pendingDeployment()]));
    const { code, err } = await cli(['approve', '--run', String(RUN), '--ticket', 'CHG-1']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('add --yes');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('requires a ticket', async () => {
    const { code, err } = await cli(['approve', '--run', String(RUN)]);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain("required option '--ticket <id>' not specified");
  });
});
