// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${local.tags} is a Terraform expression here
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSecurityGroupCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { bringup } from '../../src/phases/bringup/index.js';
import type { PhaseDefinition } from '../../src/phases/phase.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { teardown } from '../../src/phases/teardown/index.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { runnerName } from '../../src/terraform/runner-contract.js';
import { useEmulator } from '../helpers/emulator.js';
import { createStateBackend, installFakeTerraform } from '../helpers/fake-terraform.js';
import { loadModule, readPins } from '../helpers/terraform-modules.js';
import { evaluate, type Value, variableValues } from '../terraform/hcl-eval.js';

useEmulator();
let terraform: Awaited<ReturnType<typeof installFakeTerraform>>;
beforeAll(async () => {
  terraform = await installFakeTerraform();
});
afterAll(() => terraform.restore());
beforeEach(async () => {
  terraform.reset();
  await createStateBackend(STATE_BUCKET, LOCK_TABLE);
});

const STATE_BUCKET = 'acme-standby-tfstate';
const LOCK_TABLE = 'standby-terraform-locks';
const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/0b0c0d0e-1111-2222-3333-444455556666';
const RECEIPTS = { bucket: 'receipts', prefix: 'standby/receipts' };
const CONTRACT_MODULE = 'test/fixtures/terraform/runner-contract';
const given = { subnet_id: 'subnet-0123456789abcdef0', backup_bucket: 'backups' };
const baseInputs = {
  'state-bucket': STATE_BUCKET,
  'lock-table': LOCK_TABLE,
  'state-kms-key-id': KMS_KEY,
  'terraform-vars': JSON.stringify(given),
};
const bringupInputs = (kind: 'drill' | 'dr', runId = '7') => ({
  ...baseInputs,
  kind,
  'github-run-id': runId,
});

async function run(
  phase: PhaseDefinition<never>,
  executionId: string,
  inputs: Record<string, string>,
  now?: () => Date,
) {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, RECEIPTS.bucket);
  const io = new MemoryIO({
    'execution-id': executionId,
    'receipt-bucket': RECEIPTS.bucket,
    'receipt-prefix': RECEIPTS.prefix,
    ...inputs,
  });
  const outcome = await runPhase(phase as PhaseDefinition, io, { aws, env: {}, now });
  return { io, ...outcome };
}
const up = (executionId: string, inputs: Record<string, string>) =>
  run(bringup as PhaseDefinition<never>, executionId, inputs);
const down = (executionId: string, inputs: Record<string, string> = baseInputs) =>
  run(teardown as PhaseDefinition<never>, executionId, inputs);

const ec2 = () => new EC2Client({ region: 'us-east-1' });
async function instance(id: string) {
  const answer = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const found = answer.Reservations?.[0]?.Instances?.[0];
  return {
    state: found?.State?.Name,
    tags: Object.fromEntries((found?.Tags ?? []).map((t) => [t.Key, t.Value])),
  };
}
async function lockItem(key: string) {
  const item = await new DynamoDBClient({ region: 'us-east-1' }).send(
    new GetItemCommand({ TableName: LOCK_TABLE, Key: { LockID: { S: `${STATE_BUCKET}/${key}` } } }),
  );
  return item.Item;
}
async function objectExists(key: string) {
  try {
    return await new S3Client({ region: 'us-east-1', forcePathStyle: true }).send(
      new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: key }),
    );
  } catch {
    return undefined;
  }
}

const ESC = String.fromCharCode(27);

describe('bringup: one execution, one runner, one state', () => {
  it("inits this execution's own key with the KMS key, injects what it knows, applies, and outputs the instance", async () => {
    const started = new Date('2026-11-28T07:00:00Z');
    const { io, result, receipt } = await run(
      bringup as PhaseDefinition<never>,
      'drill-7',
      bringupInputs('drill'),
      () => started,
    );
    expect(result.failure).toBeUndefined();
    expect(terraform.commands()).toEqual(['version', 'init', 'plan', 'apply', 'output']);
    const [, init, plan, apply] = terraform.calls();
    for (const call of terraform.calls()) expect(call.cwd).toBe(path.resolve('terraform/runner'));
    expect(init?.args).toEqual(
      expect.arrayContaining([
        `-backend-config=bucket=${STATE_BUCKET}`,
        '-backend-config=key=standby/runners/drill-7.tfstate',
        '-backend-config=region=us-east-1',
        `-backend-config=dynamodb_table=${LOCK_TABLE}`,
        '-backend-config=use_lockfile=true',
        '-backend-config=encrypt=true',
        `-backend-config=kms_key_id=${KMS_KEY}`,
      ]),
    );
    expect(plan?.vars).toEqual({
      ...given,
      region: 'us-east-1',
      execution_id: 'drill-7',
      name: 'standby-drill-7',
      expires_at: '2026-11-28T10:00:00Z', // drill lifetime: 180 minutes
      kind: 'drill',
      github_run_id: '7',
      state_key: 'standby/runners/drill-7.tfstate',
      target_kind: 'k3s', // the execution's target-kind (default)
      target: 'default', // the execution's target (default): the standby-target tag
    });
    expect(apply?.args.at(-1)).toBe(plan?.args.find((a) => a.startsWith('-out='))?.slice(5));

    const id = io.outputs['instance-id'] as string;
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(await instance(id)).toEqual({
      state: 'running',
      tags: {
        Name: 'standby-drill-7',
        Purpose: 'standby-dr',
        ManagedBy: 'standby',
        execution: 'drill-7',
        'standby-kind': 'drill',
        'standby-expires-at': '2026-11-28T10:00:00Z',
        'standby-run-id': '7',
        'standby-state-key': 'standby/runners/drill-7.tfstate',
        'standby-target': 'default',
      },
    });
    // The fake terraform hand-implements the module's tags: held to terraform/runner/main.tf's local.tags.
    const module = await loadModule('runner');
    const moduleTags = evaluate('${local.tags}', {
      module,
      vars: variableValues(module, plan?.vars as Record<string, Value>),
    });
    expect((await instance(id)).tags).toEqual(moduleTags);
    expect(io.outputs).toMatchObject({
      'runner-name': 'standby-drill-7',
      'state-key': 'standby/runners/drill-7.tfstate',
      'expires-at': '2026-11-28T10:00:00Z',
      kind: 'drill',
    });
    // The state object sits at the execution's key, encrypted with the given key; the lock is released.
    const state = await objectExists('standby/runners/drill-7.tfstate');
    expect(state?.ServerSideEncryption).toBe('aws:kms');
    expect(state?.SSEKMSKeyId).toContain('0b0c0d0e-1111-2222-3333-444455556666');
    expect(await objectExists('standby/runners/drill-7.tfstate.tflock')).toBeUndefined();
    expect(await lockItem('standby/runners/drill-7.tfstate')).toBeUndefined();
    expect(await lockItem('standby/runners/drill-7.tfstate-md5')).toBeDefined();

    const stored = await new S3ReceiptStore(new AwsClients().s3, {
      ...RECEIPTS,
      executionId: 'drill-7',
    }).read(receipt?.key as string);
    expect(stored.receipt?.outputs).toMatchObject({
      'state-key': 'standby/runners/drill-7.tfstate',
      'module-vars': { name: 'standby-drill-7', kind: 'drill', github_run_id: '7' },
      'plan-sha256': plan?.planSha256,
      'terraform-version': readPins().terraform,
      // What the drill's cost prices: the module's defaults, as its outputs report them.
      'instance-type': 't4g.medium',
      'root-volume-gb': 30,
    });
    expect(JSON.stringify(stored.receipt)).not.toContain('hunter2');
    expect(io.summaries.join('\n')).toContain('admin_token'); // named as withheld, value absent
    expect(io.logs.join('\n')).not.toContain(ESC);
  });

  it('gives a real DR runner the long lifetime and its own name and key', async () => {
    const { io } = await run(
      bringup as PhaseDefinition<never>,
      'alarm-900',
      bringupInputs('dr', '900'),
      () => new Date('2026-11-28T07:00:00Z'),
    );
    expect(io.outputs).toMatchObject({
      'runner-name': 'standby-alarm-900',
      'state-key': 'standby/runners/alarm-900.tfstate',
      'expires-at': '2026-12-28T07:00:00Z', // 720 h
      kind: 'dr',
    });
  });

  it('two executions side by side: separate keys and runners; tearing one down leaves the other', async () => {
    const drill = await up('drill-7', bringupInputs('drill', '7'));
    const real = await up('alarm-8', bringupInputs('dr', '8'));
    expect(drill.result.status).toBe('ok');
    expect(real.result.status).toBe('ok');
    const drillId = drill.io.outputs['instance-id'] as string;
    const realId = real.io.outputs['instance-id'] as string;
    expect(drillId).not.toBe(realId);
    expect(await objectExists('standby/runners/drill-7.tfstate')).toBeDefined();
    expect(await objectExists('standby/runners/alarm-8.tfstate')).toBeDefined();

    terraform.reset();
    const gone = await down('drill-7');
    expect(gone.result.failure).toBeUndefined();
    expect(terraform.calls()[1]?.args).toContain('-backend-config=key=standby/runners/drill-7.tfstate');
    expect(gone.io.outputs['state-key']).toBe('standby/runners/drill-7.tfstate');
    expect(JSON.parse(gone.io.outputs.leftovers as string)).toEqual([]);
    expect((await instance(drillId)).state).toBe('terminated');
    expect((await instance(realId)).state).toBe('running');

    const realDown = await down('alarm-8');
    expect(realDown.result.status).toBe('ok');
    expect((await instance(realId)).state).toBe('terminated');
  });

  it("refuses at the runner limit, naming the target's runners that are up, before running Terraform", async () => {
    expect((await up('drill-1', bringupInputs('drill', '1'))).result.status).toBe('ok');
    expect((await up('alarm-2', bringupInputs('dr', '2'))).result.status).toBe('ok');
    terraform.reset();
    const third = await up('drill-3', bringupInputs('drill', '3'));
    expect(third.result.failure?.reason).toBe('runner_limit');
    expect(third.result.failure?.message).toMatch(
      /2 standby runner\(s\) of target default are already up in us-east-1 and max-runners is 2/,
    );
    expect(third.result.failure?.message).toContain('execution drill-1');
    expect(third.result.failure?.message).toContain('execution alarm-2');
    expect(third.result.failure?.message).toContain('STANDBY_MAX_RUNNERS');
    expect(terraform.calls()).toEqual([]);
    // This execution's own runner (a re-run of bringup) does not count against it; a higher limit lets a third in.
    expect((await up('alarm-2', bringupInputs('dr', '2'))).result.status).toBe('ok');
    expect((await up('drill-3', { ...bringupInputs('drill', '3'), 'max-runners': '3' })).result.status).toBe(
      'ok',
    );
  });

  it("a real DR counts only its target's real-DR runners: drills never refuse it, real DR at the cap does", async () => {
    expect((await up('drill-1', bringupInputs('drill', '1'))).result.status).toBe('ok');
    expect((await up('drill-2', bringupInputs('drill', '2'))).result.status).toBe('ok');
    expect((await up('alarm-3', bringupInputs('dr', '3'))).result.status).toBe('ok');
    expect((await up('alarm-4', bringupInputs('dr', '4'))).result.status).toBe('ok');
    terraform.reset();
    const fifth = await up('alarm-5', bringupInputs('dr', '5'));
    expect(fifth.result.failure?.reason).toBe('runner_limit');
    expect(fifth.result.failure?.message).toContain('execution alarm-3');
    expect(fifth.result.failure?.message).not.toContain('execution drill-1');
    expect(terraform.calls()).toEqual([]);
  });

  it("two targets: target a's drills at the cap do not refuse target b; they refuse a's next drill", async () => {
    const target = (name: string) => ({ target: name });
    for (const id of ['1', '2'])
      expect(
        (await up(`drill-a-${id}`, { ...bringupInputs('drill', id), ...target('a') })).result.status,
      ).toBe('ok');
    const b = await up('alarm-b-3', { ...bringupInputs('dr', '3'), ...target('b') });
    expect(b.result.failure).toBeUndefined();
    expect((await instance(b.io.outputs['instance-id'] as string)).tags['standby-target']).toBe('b');
    expect((await up('drill-b-4', { ...bringupInputs('drill', '4'), ...target('b') })).result.status).toBe(
      'ok',
    );
    terraform.reset();
    const a = await up('drill-a-5', { ...bringupInputs('drill', '5'), ...target('a') });
    expect(a.result.failure?.reason).toBe('runner_limit');
    expect(a.result.failure?.message).toMatch(/2 standby runner\(s\) of target a are already up/);
    expect(a.result.failure?.message).not.toContain('execution alarm-b-3');
    expect(terraform.calls()).toEqual([]);
  });

  it('refuses a module variable without a default that nobody sets, naming it and where to set it', async () => {
    const { result } = await up('drill-7', {
      ...bringupInputs('drill'),
      'working-directory': CONTRACT_MODULE,
      'terraform-vars': JSON.stringify({ backup_bucket: 'backups' }),
    });
    expect(result.failure?.reason).toBe('missing_variables');
    expect(result.failure?.message).toContain(`${CONTRACT_MODULE} needs a value for 'subnet_id'`);
    expect(result.failure?.message).toContain('STANDBY_TERRAFORM_VARS');
    expect(result.failure?.message).toContain('"subnet_id": "subnet-0123456789abcdef0"');
    expect(terraform.calls()).toEqual([]);
  });

  it('runs the contract-shaped module when everything is given (heredoc and nested "default" words are not defaults)', async () => {
    const { result } = await up('drill-7', {
      ...bringupInputs('drill'),
      'working-directory': CONTRACT_MODULE,
    });
    expect(result.failure).toBeUndefined();
  });

  it('refuses terraform-vars that try to set an injected variable', async () => {
    const { result } = await up('drill-7', {
      ...bringupInputs('drill'),
      'terraform-vars': JSON.stringify({ ...given, name: 'standby-dr-runner' }),
    });
    expect(result.failure?.reason).toBe('invalid_input');
    expect(result.failure?.message).toContain("terraform-vars sets 'name'");
    expect(terraform.calls()).toEqual([]);
  });

  it('refuses a kind that is neither drill nor dr', async () => {
    const { result } = await up('drill-7', { ...baseInputs, kind: 'test' });
    expect(result.failure?.reason).toBe('invalid_input');
    expect(result.failure?.message).toContain("input 'kind'");
  });

  it('plan-only: plans, records the planned changes, applies nothing and creates no runner', async () => {
    const { io, result } = await up('drill-7', { ...bringupInputs('drill'), 'plan-only': 'true' });
    expect(result.status).toBe('ok');
    expect(terraform.commands()).toEqual(['version', 'init', 'plan', 'show']);
    expect(JSON.parse(io.outputs['planned-changes'] as string)).toEqual([
      { address: 'aws_instance.runner', actions: ['create'] },
      { address: 'aws_security_group.runner', actions: ['create'] },
    ]);
    expect(io.outputs['instance-id']).toBeUndefined();
    const images = await ec2().send(new DescribeInstancesCommand({}));
    expect(images.Reservations ?? []).toEqual([]);
  });

  it('a failed apply fails the phase with Terraform’s own words, colour and token removed', async () => {
    terraform.failOn('apply');
    const { io, result, receipt } = await up('drill-7', bringupInputs('drill'));
    expect(result.failure?.reason).toBe('terraform_failed');
    expect(result.failure?.message).toContain('terraform apply exited with 1');
    expect(result.failure?.message).toContain('UnauthorizedOperation');
    for (const text of [result.failure?.message, io.logs.join('\n'), JSON.stringify(receipt?.receipt)]) {
      expect(text).not.toContain('ghp_');
      expect(text).not.toContain(ESC);
    }
    // The failed receipt still names the state, so teardown destroys the right one.
    expect(receipt?.receipt?.outputs['state-key']).toBe('standby/runners/drill-7.tfstate');
  });

  it('refuses a terraform on PATH that is not the version pinned in terraform/versions.json', async () => {
    terraform.reportVersion('1.9.8');
    const { result } = await up('drill-7', bringupInputs('drill'));
    expect(result.failure?.message).toContain(
      `terraform 1.9.8 is on PATH but terraform/versions.json pins ${readPins().terraform}`,
    );
    expect(terraform.commands()).toEqual(['version']);
  });

  describe('refuses to run Terraform without remote, locked state', () => {
    const scratch = path.join('.standby', `tf-refusal-${process.pid}`);
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    const moduleWith = (name: string, files: Record<string, string>) => {
      const dir = path.join(scratch, name);
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
      return dir;
    };

    it.each([
      ['no lock table', { 'lock-table': '' }, /input 'lock-table': is required/],
      ['a bad state key prefix', { 'state-key-prefix': '../other' }, /input 'state-key-prefix'/],
      ['a bad KMS key', { 'state-kms-key-id': 'my key' }, /input 'state-kms-key-id'/],
      ['terraform-vars that are not an object', { 'terraform-vars': '["a"]' }, /must be a JSON object/],
      ['an absolute working directory', { 'working-directory': '/etc' }, /input 'working-directory'/],
    ])('%s', async (_, override, message) => {
      const { result } = await up('drill-7', { ...bringupInputs('drill'), ...override });
      expect(result.failure?.message).toMatch(message);
      expect(terraform.calls()).toEqual([]);
    });

    it.each([
      [
        'no backend block (local state)',
        { 'main.tf': 'terraform {\n  required_version = ">= 1.11.0"\n}\n' },
        /declares no backend/,
      ],
      ['a local backend', { 'versions.tf': 'terraform {\n  backend "local" {}\n}\n' }, /backend "local"/],
      [
        'a local state file next to the s3 backend',
        { 'versions.tf': 'terraform {\n  backend "s3" {}\n}\n', 'terraform.tfstate': '{}' },
        /terraform\.tfstate' exists/,
      ],
      [
        'a backend only in a comment',
        { 'versions.tf': '# backend "s3" {}\nterraform {}\n' },
        /declares no backend/,
      ],
    ])('%s', async (name, files, message) => {
      const dir = moduleWith(name.replace(/\W+/g, '-'), files);
      const { result } = await up('drill-7', { ...bringupInputs('drill'), 'working-directory': dir });
      expect(result.failure?.message).toMatch(message);
      expect(terraform.calls()).toEqual([]);
    });
  });
});

describe('teardown destroys exactly the state its execution recorded', () => {
  async function launch(tags: Record<string, string>) {
    // The image the runner module launches (its ami_ssm_parameter default); listing every image the
    // emulator knows (about 1,300) costs seconds.
    const ami = await new SSMClient({ region: 'us-east-1' }).send(
      new GetParameterCommand({ Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64' }),
    );
    const tagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const reservation = await ec2().send(
      new RunInstancesCommand({
        ImageId: ami.Parameter?.Value,
        InstanceType: 't4g.medium',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tagSet },
          { ResourceType: 'volume', Tags: tagSet },
        ],
      }),
    );
    return reservation.Instances?.[0]?.InstanceId as string;
  }
  const tagsOf = (execution: string, purpose = 'standby-dr') => ({
    Name: runnerName(execution),
    Purpose: purpose,
    ManagedBy: 'standby',
    execution,
  });

  it('uses the key and variables bringup recorded, even when its own prefix input differs', async () => {
    const bring = await up('drill-7', { ...bringupInputs('drill'), 'state-key-prefix': 'team-a/runners' });
    expect(bring.io.outputs['state-key']).toBe('team-a/runners/drill-7.tfstate');
    terraform.reset();
    const { io, result } = await down('drill-7');
    expect(result.failure).toBeUndefined();
    expect(terraform.commands()).toEqual(['version', 'init', 'plan', 'apply', 'output']);
    expect(terraform.calls()[1]?.args).toContain('-backend-config=key=team-a/runners/drill-7.tfstate');
    expect(terraform.calls()[2]?.args).toContain('-destroy');
    // A destroy needs a value for every variable without a default: the ones bringup injected, exactly.
    expect(terraform.calls()[2]?.vars).toEqual({
      ...given,
      ...JSON.parse(bring.io.outputs['module-vars'] as string),
    });
    expect(io.outputs.destroyed).toBe('true');
    expect((await instance(bring.io.outputs['instance-id'] as string)).state).toBe('terminated');
  });

  it('without a bringup receipt (cancelled before it wrote one) destroys the key the execution id gives', async () => {
    const bring = await up('drill-9', bringupInputs('drill', '9'));
    const id = bring.io.outputs['instance-id'] as string;
    terraform.reset();
    // Another receipt location: this teardown sees no bringup receipt.
    const { result } = await run(teardown as PhaseDefinition<never>, 'drill-9', {
      ...baseInputs,
      'receipt-prefix': 'elsewhere',
    });
    expect(result.failure).toBeUndefined();
    expect(terraform.calls()[1]?.args).toContain('-backend-config=key=standby/runners/drill-9.tfstate');
    expect((await instance(id)).state).toBe('terminated');
  });

  it('refuses another state bucket than the one bringup used, before running Terraform', async () => {
    expect((await up('drill-7', bringupInputs('drill'))).result.status).toBe('ok');
    terraform.reset();
    const { result } = await down('drill-7', { ...baseInputs, 'state-bucket': 'other-tfstate' });
    expect(result.failure?.reason).toBe('state_key_mismatch');
    expect(result.failure?.message).toContain(`s3://${STATE_BUCKET}/standby/runners/drill-7.tfstate`);
    expect(terraform.calls()).toEqual([]);
  });

  it('after a bringup killed mid-apply: the lock is still held, so the destroy fails and the runner is named', async () => {
    terraform.crashOnApply();
    const bring = await up('drill-5', bringupInputs('drill', '5'));
    expect(bring.result.failure?.reason).toBe('terraform_failed');
    const live = await ec2().send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:execution', Values: ['drill-5'] }] }),
    );
    const orphan = live.Reservations?.[0]?.Instances?.[0]?.InstanceId as string;
    expect(await lockItem('standby/runners/drill-5.tfstate')).toBeDefined();
    terraform.reset();
    const { result } = await down('drill-5');
    expect(result.failure?.reason).toBe('leftovers');
    expect(result.failure?.message).toContain('Error acquiring the state lock');
    expect(result.failure?.message).toContain(`instance ${orphan} (running)`);
  });

  it('fails naming every instance, volume, security group and instance profile tagged with the execution', async () => {
    const iam = new IAMClient({});
    const instanceId = await launch(tagsOf('drill-7'));
    const group = await ec2().send(
      new CreateSecurityGroupCommand({
        GroupName: 'standby-drill-7-sg',
        Description: 'left behind',
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: Object.entries(tagsOf('drill-7')).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      }),
    );
    await iam.send(
      new CreateInstanceProfileCommand({
        InstanceProfileName: 'standby-drill-7-profile',
        Path: '/standby/',
        Tags: Object.entries(tagsOf('drill-7')).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    // Decoys: another execution's runner, someone else's instance, a terminated runner.
    const other = await launch(tagsOf('alarm-8'));
    const foreign = await launch(tagsOf('drill-7', 'something-else'));
    const terminated = await launch(tagsOf('drill-7'));
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));

    const { io, result } = await down('drill-7');
    expect(result.failure?.reason).toBe('leftovers');
    const message = result.failure?.message as string;
    expect(message).toMatch(/^destroy finished but runner resources remain: /);
    expect(message).toContain(`instance ${instanceId} (running)`);
    expect(message).toContain(`security-group ${group.GroupId} (standby-drill-7-sg)`);
    expect(message).toContain('instance-profile standby-drill-7-profile');
    expect(message).toMatch(/volume vol-[0-9a-f]+/);
    for (const decoy of [other, foreign, terminated]) expect(message).not.toContain(decoy);
    expect(io.outputs.destroyed).toBe('true');
  });

  it('verify=false skips the check and says so', async () => {
    await launch(tagsOf('drill-7'));
    const { io, result } = await down('drill-7', { ...baseInputs, verify: 'false' });
    expect(result.status).toBe('ok');
    expect(io.outputs.leftovers).toBe('');
    expect(io.summaries.join('\n')).toContain('skipped (verify=false)');
  });
});

describe('the stand-in terraform is strict where the phases rely on it', () => {
  it('hands the daemon every argument as given, its caller’s environment and real directory, and passes back output and exit code', async () => {
    const { spawnSync } = await import('node:child_process');
    const args = ['version', '', 'two  words', 'a\nline', 'ünï'];
    const version = spawnSync('terraform', args, {
      cwd: 'test/../test',
      env: { ...process.env, FAKE_TF_VERSION: '9.9.9' },
      encoding: 'utf8',
    });
    expect(version.status).toBe(0);
    expect(JSON.parse(version.stdout).terraform_version).toBe('9.9.9');
    expect(version.stdout.endsWith('}\n')).toBe(true);
    expect(terraform.calls()).toEqual([{ args, cwd: path.resolve('test') }]);
    // (Jest's process.env is its own object: a child without env would get the real one.)
    const unknown = spawnSync('terraform', ['fmt'], { env: { ...process.env }, encoding: 'utf8' });
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("the fake terraform does not know 'fmt'");
  });

  it('wants a value for every variable without a default, for a destroy too', async () => {
    const { spawnSync } = await import('node:child_process');
    const varFile = path.join('.standby', `vars-${process.pid}.json`);
    mkdirSync('.standby', { recursive: true });
    writeFileSync(varFile, JSON.stringify({ region: 'us-east-1' }));
    const env = { ...process.env };
    const init = spawnSync(
      'terraform',
      [
        'init',
        `-backend-config=bucket=${STATE_BUCKET}`,
        '-backend-config=key=k',
        '-backend-config=region=us-east-1',
        `-backend-config=dynamodb_table=${LOCK_TABLE}`,
      ],
      { cwd: CONTRACT_MODULE, env, encoding: 'utf8' },
    );
    expect(init.status).toBe(0);
    const plan = spawnSync(
      'terraform',
      ['plan', '-destroy', '-lock=true', `-var-file=${path.resolve(varFile)}`, '-out=/dev/null'],
      {
        cwd: CONTRACT_MODULE,
        env,
        encoding: 'utf8',
      },
    );
    rmSync(varFile);
    expect(plan.status).toBe(1);
    expect(plan.stderr).toContain('No value for required variable');
  });
});
