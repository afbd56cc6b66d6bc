import { existsSync, readFileSync } from 'node:fs';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CopyObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import type { ScriptRun } from '../../../src/aws/ssm-runner.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { activate as activatePhase } from '../../../src/phases/activate/index.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import { S3ReceiptStore } from '../../../src/receipts/store.js';
import { useEmulator } from '../../helpers/emulator.js';
import { approval, octocat, type ScriptedResponse, startGitHubStandIn } from '../../helpers/github-api.js';
import { receiptDraft } from '../../helpers/receipt-draft.js';
import { RunnerSandbox } from '../../helpers/runner-sandbox.js';

useEmulator();

const INSTANCE = 'i-0123456789abcdef0';

/** A runner that runs the delivered script against the fake k3s of a sandbox (no SSM: the phase logic is under test). */
function sandboxRunner(sandbox: RunnerSandbox, runs: ScriptRun[]) {
  return async (run: ScriptRun) => {
    runs.push(run);
    const { code, stdout, stderr } = sandbox.run(run.script, run.env);
    return {
      commandId: 'cmd-1',
      status: code === 0 ? 'Success' : 'Failed',
      responseCode: code,
      stdout,
      stderr,
      stdoutTruncated: false,
    };
  };
}

const REPO = 'octo/batch';

/** Where a receipt says it was written: by default the execution's own pipeline run (alarm.yml run 101…). */
function pipelineSource(runId: string, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'github-actions' as const,
    repository: REPO,
    workflow: `${REPO}/.github/workflows/alarm.yml@refs/heads/main`,
    run_id: runId,
    run_attempt: '1',
    commit: 'a'.repeat(40),
    actor: 'octo-oncall',
    event: 'workflow_dispatch',
    ...overrides,
  };
}

const runIdOf = (id: string) => id.replace(/^\D+-/, '');

async function execution(
  id: string,
  promotion?: { status: 'ok' | 'failed'; outcome?: string },
  promoteSource: Record<string, unknown> = {},
) {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  const store = new S3ReceiptStore(s3, { bucket: 'receipts', prefix: 'standby/receipts', executionId: id });
  const source = pipelineSource(runIdOf(id));
  await store.write(
    receiptDraft({ execution_id: id, phase: 'resolve-runner', source, outputs: { 'instance-id': INSTANCE } }),
  );
  await store.write(
    receiptDraft({
      execution_id: id,
      phase: 'restore',
      source,
      inputs: { namespace: 'jobintel' },
      outputs: { cronjobs: ['jobintel-daily', 'jobintel-hourly'] },
    }),
  );
  if (promotion)
    await store.write(
      receiptDraft({
        execution_id: id,
        phase: 'promote',
        status: promotion.status,
        source: pipelineSource(runIdOf(id), promoteSource),
        outputs: promotion.outcome
          ? { 'promotion-status': promotion.outcome, 'decided-by': 'octo-reviewer' }
          : {},
      }),
    );
}

const reviewer = { ...octocat, login: 'octo-reviewer', id: 2 };
const oncall = { ...octocat, login: 'octo-oncall', id: 3 };

/** GitHub's record of pipeline run `runId` (GET /repos/{o}/{r}/actions/runs/{id}), as its REST docs show it. */
function workflowRun(runId: string, workflow = 'alarm.yml') {
  return {
    id: Number(runId),
    name: 'Alarm',
    path: `.github/workflows/${workflow}`,
    head_branch: 'main',
    status: 'completed',
    conclusion: 'success',
    event: 'workflow_dispatch',
    html_url: `https://github.com/${REPO}/actions/runs/${runId}`,
    created_at: '2026-11-22T01:00:00Z',
    updated_at: '2026-11-22T01:30:00Z',
    actor: oncall,
    triggering_actor: oncall,
    repository: { full_name: REPO },
  };
}

let github: Awaited<ReturnType<typeof startGitHubStandIn>>;
const routes: Record<string, ScriptedResponse[]> = {};
beforeAll(async () => {
  github = await startGitHubStandIn(routes);
});
afterAll(async () => {
  await github.close();
});

/** What GitHub answers for run `runId`: its record and its review log. */
function githubKnows(runId: string, approvals: unknown[], run: unknown = workflowRun(runId)) {
  routes[`GET /repos/${REPO}/actions/runs/${runId}`] = [{ status: 200, body: run }];
  routes[`GET /repos/${REPO}/actions/runs/${runId}/approvals`] = [{ status: 200, body: approvals }];
}

async function activate(
  id: string,
  sandbox: RunnerSandbox,
  runs: ScriptRun[],
  extra: Record<string, string> = {},
) {
  const io = new MemoryIO({
    'execution-id': id,
    confirm: id,
    'receipt-bucket': 'receipts',
    'github-token': 'ghs_test-token-for-the-stand-in',
    repository: REPO,
    'api-url': github.url,
    ...extra,
  });
  return runPhase(activatePhase, io, {
    aws: new AwsClients(),
    env: {},
    scriptRunner: sandboxRunner(sandbox, runs),
  });
}

describe('standby activate', () => {
  it('un-suspends the restored CronJobs after an approval, under its own field manager, and writes a receipt', async () => {
    await execution('alarm-101', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    githubKnows('101', [approval('approved', 'restored data checked', 'dr-promotion', reviewer)]);
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const runs: ScriptRun[] = [];
    const { result, receipt } = await activate('alarm-101', sandbox, runs);
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({
      activated: ['jobintel-daily', 'jobintel-hourly'],
      'approved-by': 'octo-reviewer',
    });
    expect(runs[0]).toMatchObject({
      script: 'activate.sh',
      instanceId: INSTANCE,
      env: { STANDBY_NAMESPACE: 'jobintel', STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly' },
    });
    const cronjob = sandbox.object('CronJob', 'jobintel', 'jobintel-daily');
    expect(cronjob?.spec.suspend).toBe(false);
    expect(cronjob?.metadata.managedFields.at(-1)).toEqual({
      manager: 'standby-activate',
      operation: 'Update',
    });
    expect(receipt?.receipt).toMatchObject({
      phase: 'activate',
      status: 'ok',
      inputs: { confirm: 'alarm-101' },
    });
    // GitHub was asked (the run and its review log), and the token it was asked with is nowhere recorded.
    expect(github.requests.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        `/repos/${REPO}/actions/runs/101`,
        `/repos/${REPO}/actions/runs/101/approvals`,
      ]),
    );
    expect(receipt?.body.toString('utf8')).not.toContain('ghs_test-token');
    // Real DR: the runner was asked to become the serving standby (issue 20.2).
    expect(runs[0]?.env).toMatchObject({ STANDBY_SERVING: 'true', STANDBY_EXECUTION_ID: 'alarm-101' });
    expect(result.outputs).toMatchObject({ serving: true });
  });

  it('target-kind eks: the script is sent the eks kubectl invocation, and activates through it', async () => {
    await execution('alarm-111', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    githubKnows('111', [approval('approved', 'restored data checked', 'dr-promotion', reviewer)]);
    const sandbox = new RunnerSandbox({ cluster: 'restored', target: 'eks' });
    sandbox.addsTargetEnv = false; // what reaches the script is what the phase sent
    const runs: ScriptRun[] = [];
    const { result } = await activate('alarm-111', sandbox, runs, { 'target-kind': 'eks' });
    expect(result.failure).toBeUndefined();
    expect(runs[0]?.env).toMatchObject({
      STANDBY_TARGET_KIND: 'eks',
      STANDBY_KUBECTL: 'kubectl --kubeconfig=/var/lib/standby/kubeconfig',
    });
    expect(sandbox.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(false);
  });

  it('refuses a rejected promotion, an undecided one and a failed promote, touching nothing', async () => {
    const cases: [string, Parameters<typeof execution>[1], RegExp][] = [
      ['alarm-201', { status: 'ok', outcome: 'manual_promotion_rejected' }, /was rejected by octo-reviewer/],
      ['alarm-202', undefined, /has no promote receipt/],
      ['alarm-203', { status: 'failed' }, /promote receipt with status failed/],
    ];
    for (const [id, promotion, message] of cases) {
      await execution(id, promotion);
      const sandbox = new RunnerSandbox({ cluster: 'restored' });
      const runs: ScriptRun[] = [];
      const { result, receipt } = await activate(id, sandbox, runs);
      expect(result.failure?.reason).toBe('not_approved');
      expect(result.failure?.message).toMatch(message);
      expect(runs).toEqual([]);
      expect(sandbox.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(true);
      expect(receipt?.receipt?.status).toBe('failed');
    }
  });

  it('refuses without the execution id typed again, and for a drill', async () => {
    await execution('alarm-301', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    const runs: ScriptRun[] = [];
    const wrong = await activate('alarm-301', new RunnerSandbox({ cluster: 'restored' }), runs, {
      confirm: 'alarm-30',
    });
    expect(wrong.result.failure).toMatchObject({ reason: 'invalid_input' });
    await execution('drill-302', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    const drill = await activate('drill-302', new RunnerSandbox({ cluster: 'restored' }), runs);
    expect(drill.result.failure?.reason).toBe('drill_execution');
    expect(runs).toEqual([]);
  });

  it('fails closed when a CronJob to activate is not there', async () => {
    await execution('alarm-401', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    githubKnows('401', [approval('approved', 'ok', 'dr-promotion', reviewer)]);
    const runs: ScriptRun[] = [];
    const { result } = await activate('alarm-401', new RunnerSandbox({ cluster: 'restored' }), runs, {
      cronjobs: 'jobintel-daily,jobintel-weekly',
    });
    expect(result.failure?.reason).toBe('activation_failed');
    expect(result.failure?.message).toContain('CronJob jobintel-weekly not found in namespace jobintel');
  });
});

/**
 * Issue 19.1: an approval counts only when the execution's own pipeline run wrote it and GitHub's review
 * log agrees. Each case below activated the standby on the receipts alone before this check.
 */
describe('a real-DR activation makes the runner the serving standby (issue 20.2)', () => {
  it('tags the instance standby-serving=true and removes its expiry; the runner writes its marker and stops the timer', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't4g.small',
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: 'standby-execution-id', Value: 'alarm-601' },
              { Key: 'standby-kind', Value: 'dr' },
              { Key: 'standby-expires-at', Value: '2026-12-30T00:00:00Z' },
            ],
          },
        ],
      }),
    );
    const instanceId = launched.Instances?.[0]?.InstanceId as string;
    await execution('alarm-601', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    githubKnows('601', [approval('approved', 'ok', 'dr-promotion', reviewer)]);
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const runs: ScriptRun[] = [];
    const { result, receipt } = await activate('alarm-601', sandbox, runs, { 'instance-id': instanceId });
    expect(result.failure).toBeUndefined();
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const tags = Object.fromEntries(
      (described.Reservations?.[0]?.Instances?.[0]?.Tags ?? []).map((t) => [t.Key, t.Value]),
    );
    expect(tags['standby-serving']).toBe('true');
    expect(tags).not.toHaveProperty('standby-expires-at');
    // The runner side (activate.sh on the fake k3s): marker written, the dead-man switch's timer disabled.
    expect(JSON.parse(readFileSync(sandbox.path('var-lib-standby', 'serving'), 'utf8'))).toMatchObject({
      serving: true,
      execution_id: 'alarm-601',
    });
    expect(sandbox.lines('systemctl.log')).toEqual(['disable --now standby-expiry.timer']);
    expect(receipt?.receipt?.outputs).toMatchObject({ serving: true });
    expect(result.summary).toContain('**Serving standby**');
  });

  it('a half-activated standby (a CronJob missing) is not marked serving and keeps its expiry', async () => {
    await execution('alarm-602', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    githubKnows('602', [approval('approved', 'ok', 'dr-promotion', reviewer)]);
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const { result } = await activate('alarm-602', sandbox, [], {
      cronjobs: 'jobintel-daily,jobintel-weekly',
    });
    expect(result.failure?.reason).toBe('activation_failed');
    expect(result.outputs).toMatchObject({ serving: false });
    expect(existsSync(sandbox.path('var-lib-standby', 'serving'))).toBe(false);
    expect(sandbox.lines('systemctl.log')).toEqual([]);
  });
});

describe('activate refuses an approval it cannot prove (approval_unproven), touching nothing', () => {
  const approved = { status: 'ok' as const, outcome: 'approved_but_auto_promote_disabled' };

  async function refusedWith(id: string, message: RegExp) {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const runs: ScriptRun[] = [];
    const { result, receipt } = await activate(id, sandbox, runs);
    expect(result.failure?.reason).toBe('approval_unproven');
    expect(result.failure?.message).toMatch(message);
    expect(runs).toEqual([]);
    expect(sandbox.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(true);
    expect(receipt?.receipt).toMatchObject({ phase: 'activate', status: 'failed' });
    return result;
  }

  it('a promote receipt written from a terminal (source kind cli)', async () => {
    await execution('alarm-501', approved, { kind: 'cli', repository: null, workflow: null, run_id: null });
    githubKnows('501', [approval('approved', 'ok', 'dr-promotion', reviewer)]);
    await refusedWith('alarm-501', /written from a terminal/);
  });

  it('a promote receipt written by another run', async () => {
    await execution('alarm-502', approved, { run_id: '999' });
    githubKnows('502', [approval('approved', 'ok', 'dr-promotion', reviewer)]);
    await refusedWith('alarm-502', /not by the execution's run 502/);
  });

  it('a promote receipt copied from another execution', async () => {
    // Another execution, really approved; its promote receipt copied object for object into this one's folder.
    await execution('alarm-777', approved);
    await execution('alarm-504');
    const s3 = new AwsClients().s3;
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: 'receipts', Prefix: 'standby/receipts/alarm-777/' }),
    );
    const promoteKey = (listed.Contents ?? [])
      .map((o) => o.Key ?? '')
      .find((k) => /promote[^/]*\.json$/.test(k));
    expect(promoteKey).toBeDefined();
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'receipts',
        CopySource: `receipts/${promoteKey}`,
        Key: (promoteKey as string).replace('/alarm-777/', '/alarm-504/'),
      }),
    );
    githubKnows('504', [approval('approved', 'ok', 'dr-promotion', reviewer)]);
    await refusedWith(
      'alarm-504',
      /belongs to execution alarm-777, not alarm-504: it was copied from another execution/,
    );
  });

  it('GitHub records a rejection of the environment on the run', async () => {
    await execution('alarm-505', approved);
    githubKnows('505', [approval('rejected', 'not yet', 'dr-promotion', reviewer)]);
    await refusedWith('alarm-505', /records a rejection/);
  });

  it('a self-approval: the only approver started the run', async () => {
    await execution('alarm-506', approved);
    githubKnows('506', [approval('approved', 'lgtm', 'dr-promotion', oncall)]);
    await refusedWith('alarm-506', /who started the run: a self-approval/);
  });

  it('a run GitHub does not know (the receipts name an invented run)', async () => {
    await execution('alarm-507', approved);
    await refusedWith('alarm-507', /GitHub knows no run 507/);
  });

  it('a run of a workflow that does not run the pipeline', async () => {
    await execution('alarm-508', approved);
    githubKnows(
      '508',
      [approval('approved', 'ok', 'dr-promotion', reviewer)],
      workflowRun('508', 'evil.yml'),
    );
    await refusedWith('alarm-508', /does not back the promote receipt/);
  });
});
