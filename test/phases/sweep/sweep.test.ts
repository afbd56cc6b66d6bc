import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { bringup } from '../../../src/phases/bringup/index.js';
import type { PhaseDefinition } from '../../../src/phases/phase.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import { sweep } from '../../../src/phases/sweep/index.js';
import { ReceiptSchema } from '../../../src/receipts/envelope.js';
import { S3ReceiptStore } from '../../../src/receipts/store.js';
import { TAG } from '../../../src/terraform/runner-contract.js';
import { useEmulator } from '../../helpers/emulator.js';
import { createStateBackend, installFakeTerraform } from '../../helpers/fake-terraform.js';
import { type ScriptedResponse, startGitHubStandIn } from '../../helpers/github-api.js';
import { receiptDraft } from '../../helpers/receipt-draft.js';

useEmulator();
let terraform: Awaited<ReturnType<typeof installFakeTerraform>>;
let github: Awaited<ReturnType<typeof startGitHubStandIn>> | undefined;
beforeAll(async () => {
  terraform = await installFakeTerraform();
});
afterAll(() => terraform.restore());
beforeEach(async () => {
  terraform.reset();
  await createStateBackend(STATE_BUCKET, LOCK_TABLE);
});
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const STATE_BUCKET = 'acme-standby-tfstate';
const LOCK_TABLE = 'standby-terraform-locks';
const NOW = new Date('2026-11-28T12:00:00Z');
const backend = {
  'state-bucket': STATE_BUCKET,
  'lock-table': LOCK_TABLE,
  'terraform-vars': JSON.stringify({ subnet_id: 'subnet-0123456789abcdef0', backup_bucket: 'backups' }),
};

/** GitHub's answer for GET /repos/acme/standby/actions/runs/<id> (docs.github.com/rest/actions/workflow-runs). */
function runAnswer(
  id: number,
  status: string,
  conclusion: string | null = null,
  updatedAt = '2026-11-28T08:00:00Z',
): ScriptedResponse {
  return {
    status: 200,
    body: {
      id,
      name: 'DR drill',
      run_number: 1,
      event: 'workflow_dispatch',
      status,
      conclusion,
      workflow_id: 1,
      path: '.github/workflows/drill.yml',
      head_sha: 'a'.repeat(40),
      html_url: `https://github.com/acme/standby/actions/runs/${id}`,
      created_at: '2026-11-28T07:00:00Z',
      updated_at: updatedAt,
    },
  };
}
async function githubKnows(runs: Record<number, ScriptedResponse>) {
  github = await startGitHubStandIn(
    Object.fromEntries(
      Object.entries(runs).map(([id, answer]) => [`GET /repos/acme/standby/actions/runs/${id}`, [answer]]),
    ),
  );
  return github;
}

async function up(executionId: string, kind: 'drill' | 'dr', runId: string, at: Date) {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, 'receipts');
  const io = new MemoryIO({
    'execution-id': executionId,
    'receipt-bucket': 'receipts',
    ...backend,
    kind,
    'github-run-id': runId,
    'max-runners': '20',
  });
  const { result } = await runPhase(bringup as PhaseDefinition, io, { aws, env: {}, now: () => at });
  return { result, id: io.outputs['instance-id'] as string };
}

async function runSweep(inputs: Record<string, string> = {}) {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, 'receipts');
  const io = new MemoryIO({
    'execution-id': 'sweep-9000',
    'receipt-bucket': 'receipts',
    ...backend,
    'github-token': 'ghs_sweeperTokenThatMustNotLeak0000000000',
    repository: 'acme/standby',
    'api-url': github?.url ?? '',
    ...inputs,
  });
  const outcome = await runPhase(sweep as PhaseDefinition, io, { aws, env: {}, now: () => NOW });
  const parse = (name: string) => JSON.parse(io.outputs[name] || '[]');
  return { io, ...outcome, runners: parse('runners'), states: parse('states'), locks: parse('locks') };
}

const ec2 = () => new EC2Client({ region: 'us-east-1' });
const s3 = () => new S3Client({ region: 'us-east-1', forcePathStyle: true });
const dynamo = () => new DynamoDBClient({ region: 'us-east-1' });
async function stateOf(id: string) {
  const answer = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return answer.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}
async function groupsOf(execution: string) {
  const answer = await ec2().send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:execution', Values: [execution] }] }),
  );
  return (answer.SecurityGroups ?? []).map((g) => g.GroupId);
}
async function exists(key: string) {
  try {
    await s3().send(new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}
async function lockItem(key: string) {
  const item = await dynamo().send(
    new GetItemCommand({ TableName: LOCK_TABLE, Key: { LockID: { S: `${STATE_BUCKET}/${key}` } } }),
  );
  return item.Item;
}
async function stateResources(key: string) {
  const answer = await s3().send(new GetObjectCommand({ Bucket: STATE_BUCKET, Key: key }));
  return JSON.parse(await (answer.Body?.transformToString() ?? '{}')).resources as unknown[];
}

describe('the sweeper on the emulator', () => {
  it('removes a leaked drill, an expired real DR runner and a crashed bringup; keeps the live ones; clears only stale locks', async () => {
    const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
    const leaked = await up('drill-101', 'drill', '101', hoursAgo(1)); // its run is over: leaked
    const expired = await up('alarm-102', 'dr', '102', hoursAgo(24 * 31)); // 720 h lifetime: expired a day ago
    const liveDrill = await up('drill-103', 'drill', '103', hoursAgo(1)); // its run waits at the gate
    const liveDr = await up('alarm-104', 'dr', '104', hoursAgo(2)); // real DR in use
    terraform.crashOnApply();
    const crashed = await up('drill-105', 'drill', '105', hoursAgo(1)); // killed mid-apply; its run is over
    terraform.reset();
    const orphan = await up('drill-106', 'drill', '106', hoursAgo(5)); // dead-man switch already fired
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [orphan.id] }));
    for (const r of [leaked, expired, liveDrill, liveDr, orphan]) expect(r.result.status).toBe('ok');
    expect(crashed.result.status).toBe('failed');
    const crashedId = (
      await ec2().send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'tag:execution', Values: ['drill-105'] }] }),
      )
    ).Reservations?.[0]?.Instances?.[0]?.InstanceId as string;
    // A fresh lock held by a live run (a teardown in progress) must survive the sweep.
    const liveLock = {
      ID: 'live-1',
      Operation: 'OperationTypeApply',
      Who: 'runner@fv-az',
      Created: '2026-11-28T11:50:00Z',
      Path: '',
    };
    await dynamo().send(
      new PutItemCommand({
        TableName: LOCK_TABLE,
        Item: {
          LockID: { S: `${STATE_BUCKET}/standby/runners/drill-103.tfstate` },
          Info: { S: JSON.stringify(liveLock) },
        },
      }),
    );
    await githubKnows({
      101: runAnswer(101, 'completed', 'success'),
      102: runAnswer(102, 'completed', 'success'),
      103: runAnswer(103, 'waiting'),
      104: runAnswer(104, 'waiting'),
      // Completed after the crashed apply took its lock (the fake stamps locks with the real clock).
      105: runAnswer(105, 'completed', 'cancelled', new Date(Date.now() + 60_000).toISOString()),
      106: runAnswer(106, 'completed', 'failure'),
    });
    terraform.reset();

    const { result, io, runners, states, locks, receipt } = await runSweep();
    expect(result.failure).toBeUndefined();
    const verdict = (id: string) => runners.find((r: { id: string }) => r.id === id);
    expect(verdict(leaked.id)).toMatchObject({
      verdict: 'destroy',
      ok: true,
      result: expect.stringContaining('destroyed through Terraform'),
    });
    expect(verdict(expired.id)).toMatchObject({
      verdict: 'destroy',
      why: expect.stringContaining('expired at'),
      ok: true,
    });
    expect(verdict(liveDrill.id)).toMatchObject({ verdict: 'keep', run: 'live (waiting)' });
    expect(verdict(liveDr.id)).toMatchObject({
      verdict: 'keep',
      why: expect.stringContaining('torn down by a person'),
    });
    expect(verdict(crashedId)).toMatchObject({
      verdict: 'destroy',
      result: expect.stringContaining('no state tracks it: terminated'),
    });

    expect(await stateOf(leaked.id)).toBe('terminated');
    expect(await stateOf(expired.id)).toBe('terminated');
    expect(await stateOf(crashedId)).toBe('terminated');
    expect(await stateOf(liveDrill.id)).toBe('running');
    expect(await stateOf(liveDr.id)).toBe('running');
    // Destroyed through their own states: those states are now empty; the live ones keep theirs.
    expect(await stateResources('standby/runners/drill-101.tfstate')).toEqual([]);
    expect(await stateResources('standby/runners/alarm-102.tfstate')).toEqual([]);
    expect(await stateResources('standby/runners/drill-103.tfstate')).toHaveLength(2);
    expect(await groupsOf('drill-105')).toEqual([]);

    // The crashed bringup's lock (its run is over) is cleared in both places; the live one is not.
    expect(locks).toContainEqual(
      expect.objectContaining({ stateKey: 'standby/runners/drill-105.tfstate', stale: true, cleared: true }),
    );
    expect(await lockItem('standby/runners/drill-105.tfstate')).toBeUndefined();
    expect(await exists('standby/runners/drill-105.tfstate.tflock')).toBe(false);
    expect(locks).toContainEqual(
      expect.objectContaining({
        stateKey: 'standby/runners/drill-103.tfstate',
        id: 'live-1',
        stale: false,
        cleared: false,
      }),
    );
    expect(await lockItem('standby/runners/drill-103.tfstate')).toBeDefined();
    // Terraform's digest items are not locks.
    expect(await lockItem('standby/runners/drill-101.tfstate-md5')).toBeDefined();

    // The orphan state (instance terminated by its dead-man switch): its security group is destroyed through it.
    expect(states).toEqual([
      expect.objectContaining({ id: 'standby/runners/drill-106.tfstate', verdict: 'destroy', ok: true }),
    ]);
    expect(await groupsOf('drill-106')).toEqual([]);

    expect(io.outputs.destroyed).toBe('4');
    const parsed = ReceiptSchema.parse(receipt?.receipt);
    expect(parsed).toMatchObject({ phase: 'sweep', execution_id: 'sweep-9000', status: 'ok' });
    expect(JSON.stringify(parsed)).not.toContain('ghs_sweeperToken');
    expect(
      github?.requests.every(
        (r) => r.headers.authorization === 'token ghs_sweeperTokenThatMustNotLeak0000000000',
      ),
    ).toBe(true);
    expect(io.summaries.join('\n')).toContain('Sweep leaked runners');
  }, 180_000);

  it('dry run: reports what it would do and changes nothing', async () => {
    const leaked = await up('drill-101', 'drill', '101', new Date(NOW.getTime() - 3_600_000));
    await githubKnows({ 101: runAnswer(101, 'completed', 'success') });
    terraform.reset();
    const { runners, io } = await runSweep({ 'dry-run': 'true' });
    expect(runners).toEqual([expect.objectContaining({ id: leaked.id, verdict: 'destroy' })]);
    expect(runners[0].result).toBeUndefined();
    expect(await stateOf(leaked.id)).toBe('running');
    expect(terraform.calls()).toEqual([]);
    expect(io.summaries.join('\n')).toContain('would destroy');
  }, 60_000);

  it('without a GitHub token only expiry counts: a drill whose run is over waits for its expiry', async () => {
    const leaked = await up('drill-101', 'drill', '101', new Date(NOW.getTime() - 3_600_000));
    const { runners, io } = await runSweep({ 'github-token': '' });
    expect(runners).toEqual([
      expect.objectContaining({ id: leaked.id, verdict: 'keep', run: 'not checked' }),
    ]);
    expect(io.logs.join('\n')).toContain('no github-token');
  }, 60_000);

  it('19.9: with an expired or revoked token (401) the run is unknown: drills are reported, not destroyed, even past their expiry', async () => {
    const leaked = await up('drill-101', 'drill', '101', new Date(NOW.getTime() - 3_600_000));
    const expired = await up('drill-102', 'drill', '102', new Date(NOW.getTime() - 4 * 3_600_000));
    github = await startGitHubStandIn({
      'GET /repos/acme/standby/actions/runs/101': [{ status: 401, body: { message: 'Bad credentials' } }],
      'GET /repos/acme/standby/actions/runs/102': [{ status: 401, body: { message: 'Bad credentials' } }],
    });
    terraform.reset();
    const { runners, io, result } = await runSweep();
    const byId = (id: string) => runners.find((r: { id: string }) => r.id === id);
    expect(byId(leaked.id)).toMatchObject({
      verdict: 'report',
      run: expect.stringContaining('unknown (GitHub API'),
    });
    expect(byId(expired.id)).toMatchObject({
      verdict: 'report',
      why: expect.stringMatching(/^expired at .* but its run is unknown .*401.*: not destroyed/),
    });
    expect(byId(expired.id).result).toBeUndefined();
    expect(await stateOf(leaked.id)).toBe('running');
    expect(await stateOf(expired.id)).toBe('running');
    expect(terraform.calls()).toEqual([]);
    expect(result.status).toBe('ok');
    expect(io.logs.join('\n')).toMatch(/warning: .*not destroyed/);
  }, 60_000);

  it('19.9: a run lookup answering 404 or 403 means unknown, never finished: reported, nothing destroyed', async () => {
    const expired404 = await up('drill-101', 'drill', '101', new Date(NOW.getTime() - 4 * 3_600_000));
    const young403 = await up('drill-102', 'drill', '102', new Date(NOW.getTime() - 3_600_000));
    // Run 101 is not scripted: the stand-in answers 404 Not Found, as GitHub does for a run the token may not see.
    github = await startGitHubStandIn({
      'GET /repos/acme/standby/actions/runs/102': [
        { status: 403, body: { message: 'Resource not accessible by integration' } },
      ],
    });
    terraform.reset();
    const { runners, states } = await runSweep();
    const byId = (id: string) => runners.find((r: { id: string }) => r.id === id);
    expect(byId(expired404.id)).toMatchObject({
      verdict: 'report',
      run: expect.stringContaining('answered 404'),
      why: expect.stringContaining('not destroyed'),
    });
    expect(byId(young403.id)).toMatchObject({
      verdict: 'report',
      run: expect.stringContaining('answered 403'),
    });
    expect(await stateOf(expired404.id)).toBe('running');
    expect(await stateOf(young403.id)).toBe('running');
    expect(await stateResources('standby/runners/drill-101.tfstate')).toHaveLength(2);
    expect(states).toEqual([]);
    expect(terraform.calls()).toEqual([]);
    expect(github.requests.map((r) => r.url)).toContain('/repos/acme/standby/actions/runs/101');
  }, 60_000);

  it('19.9: a serving standby is never touched; a run-id tag that disagrees with the execution id is reported', async () => {
    const serving = await up('alarm-104', 'dr', '104', new Date(NOW.getTime() - 24 * 31 * 3_600_000));
    const forged = await up('drill-105', 'drill', '105', new Date(NOW.getTime() - 3_600_000));
    await ec2().send(
      new CreateTagsCommand({
        Resources: [serving.id],
        Tags: [{ Key: TAG.serving, Value: 'true' }],
      }),
    );
    await ec2().send(
      new CreateTagsCommand({ Resources: [forged.id], Tags: [{ Key: TAG.runId, Value: '106' }] }),
    );
    await githubKnows({
      104: runAnswer(104, 'completed', 'success'),
      105: runAnswer(105, 'completed', 'success'),
      106: runAnswer(106, 'completed', 'success'),
    });
    terraform.reset();
    const { runners } = await runSweep();
    const byId = (id: string) => runners.find((r: { id: string }) => r.id === id);
    expect(byId(serving.id)).toMatchObject({
      verdict: 'keep',
      why: expect.stringContaining('serving standby'),
    });
    expect(byId(forged.id)).toMatchObject({
      verdict: 'report',
      why: expect.stringContaining('standby-run-id 106 disagrees with execution drill-105'),
      run: 'not checked',
    });
    expect(await stateOf(serving.id)).toBe('running');
    expect(await stateOf(forged.id)).toBe('running');
    expect(terraform.calls()).toEqual([]);
    // The conflicting runner's run is not looked up under either id.
    expect(github?.requests.map((r) => r.url).filter((u) => /runs\/10[56]$/.test(u))).toEqual([]);
  }, 60_000);

  it('20.2: the serving record (an ok activate receipt with serving) keeps a runner whose tags were stripped, and its state', async () => {
    const stripped = await up('alarm-107', 'dr', '107', new Date(NOW.getTime() - 24 * 31 * 3_600_000));
    const aws = new AwsClients();
    const store = new S3ReceiptStore(aws.s3, {
      bucket: 'receipts',
      prefix: 'standby/receipts',
      executionId: 'alarm-107',
    });
    await store.write(
      receiptDraft({
        execution_id: 'alarm-107',
        phase: 'activate',
        ended_at: '2026-11-01T10:00:00.000Z',
        outputs: { activated: ['jobintel-daily'], serving: true },
      }),
    );
    await githubKnows({ 107: runAnswer(107, 'completed', 'success') });
    terraform.reset();
    const { runners } = await runSweep();
    // Expired a month ago, run over, no serving tag: destroyed before the record was consulted.
    expect(runners.find((r: { id: string }) => r.id === stripped.id)).toMatchObject({
      verdict: 'keep',
      why: expect.stringContaining(
        'serving standby by its activate receipt (s3://receipts/standby/receipts/alarm-107/',
      ),
    });
    expect(await stateOf(stripped.id)).toBe('running');
    expect(terraform.calls()).toEqual([]);
  }, 60_000);

  it("22: a target's serving record is read from that target's receipts folder (alarm-orders-108 → targets/orders)", async () => {
    const stripped = await up('alarm-orders-108', 'dr', '108', new Date(NOW.getTime() - 24 * 31 * 3_600_000));
    const store = new S3ReceiptStore(new AwsClients().s3, {
      bucket: 'receipts',
      prefix: 'standby/receipts/targets/orders',
      executionId: 'alarm-orders-108',
    });
    await store.write(
      receiptDraft({
        execution_id: 'alarm-orders-108',
        phase: 'activate',
        ended_at: '2026-11-01T10:00:00.000Z',
        outputs: { activated: ['jobintel-daily'], serving: true },
      }),
    );
    await githubKnows({ 108: runAnswer(108, 'completed', 'success') });
    terraform.reset();
    const { runners } = await runSweep();
    expect(runners.find((r: { id: string }) => r.id === stripped.id)).toMatchObject({
      verdict: 'keep',
      why: expect.stringContaining(
        'serving standby by its activate receipt (s3://receipts/standby/receipts/targets/orders/alarm-orders-108/',
      ),
    });
    expect(await stateOf(stripped.id)).toBe('running');
    expect(terraform.calls()).toEqual([]);
  }, 60_000);

  it('19.9: a lock whose Created time is missing or garbled is not stale, even when its run is over', async () => {
    await up('drill-103', 'drill', '103', new Date(NOW.getTime() - 3_600_000));
    await s3().send(
      new PutObjectCommand({
        Bucket: STATE_BUCKET,
        Key: 'standby/runners/drill-103.tfstate.tflock',
        Body: JSON.stringify({ ID: 'garbled-1', Operation: 'OperationTypeApply', Created: 'not a time' }),
      }),
    );
    await dynamo().send(
      new PutItemCommand({
        TableName: LOCK_TABLE,
        Item: {
          LockID: { S: `${STATE_BUCKET}/standby/runners/drill-103.tfstate` },
          Info: { S: JSON.stringify({ ID: 'no-time-1', Operation: 'OperationTypeApply' }) },
        },
      }),
    );
    await githubKnows({ 103: runAnswer(103, 'completed', 'failure') });
    terraform.reset();
    const { locks, runners } = await runSweep();
    expect(locks).toEqual([
      expect.objectContaining({ store: 'dynamodb', id: 'no-time-1', stale: false, cleared: false }),
      expect.objectContaining({ store: 's3', id: 'garbled-1', stale: false, cleared: false }),
    ]);
    expect(locks[0].why).toContain('not judged stale');
    expect(await exists('standby/runners/drill-103.tfstate.tflock')).toBe(true);
    expect(await lockItem('standby/runners/drill-103.tfstate')).toBeDefined();
    // Its runner is due (run over) but its state is locked: left for a person, not destroyed around the lock.
    expect(runners[0]).toMatchObject({
      verdict: 'destroy',
      ok: false,
      result: expect.stringContaining('locked'),
    });
    expect(terraform.calls()).toEqual([]);
  }, 60_000);

  it('a destroy that Terraform refuses falls back to terminate and fails the receipt, naming why', async () => {
    const leaked = await up('drill-101', 'drill', '101', new Date(NOW.getTime() - 3_600_000));
    await githubKnows({ 101: runAnswer(101, 'completed', 'success') });
    terraform.reset();
    terraform.failOn('plan');
    const { result, runners } = await runSweep();
    expect(result.failure?.reason).toBe('sweep_incomplete');
    expect(runners[0]).toMatchObject({
      ok: false,
      result: expect.stringMatching(/^Terraform destroy failed .*terminated instead: terminated/),
    });
    expect(await stateOf(leaked.id)).toBe('terminated');
  }, 60_000);

  it('a lock older than any job could run is stale even when the run looks live', async () => {
    await up('drill-103', 'drill', '103', new Date(NOW.getTime() - 3_600_000));
    const old = {
      ID: 'old-1',
      Operation: 'OperationTypeApply',
      Who: 'runner@gone',
      Created: '2026-11-28T08:00:00Z',
    };
    await s3().send(
      new PutObjectCommand({
        Bucket: STATE_BUCKET,
        Key: 'standby/runners/drill-103.tfstate.tflock',
        Body: JSON.stringify(old),
      }),
    );
    await githubKnows({ 103: runAnswer(103, 'in_progress') });
    const { locks } = await runSweep();
    expect(locks).toEqual([
      expect.objectContaining({
        id: 'old-1',
        stale: true,
        cleared: true,
        why: expect.stringContaining('240 min ago'),
      }),
    ]);
    expect(await exists('standby/runners/drill-103.tfstate.tflock')).toBe(false);
  }, 60_000);
});
