import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { bringup } from '../../src/phases/bringup/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { teardown } from '../../src/phases/teardown/index.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { installFakeTerraform, RUNNER_OUTPUTS } from '../helpers/fake-terraform.js';
import { readPins } from '../helpers/terraform-modules.js';

useEmulator();
let terraform: ReturnType<typeof installFakeTerraform>;
beforeAll(() => {
  terraform = installFakeTerraform();
});
afterAll(() => terraform.restore());
beforeEach(() => terraform.reset());

const RECEIPTS = { bucket: 'receipts', prefix: 'standby/receipts' };
const vars = {
  region: 'us-east-1',
  subnet_id: 'subnet-0123456789abcdef0',
  backup_bucket: 'backups',
  execution_id: 'drill-7',
};
const backendInputs = {
  'state-bucket': 'acme-standby-tfstate',
  'state-key': 'standby/runner/drill-7.tfstate',
  'lock-table': 'standby-terraform-locks',
  'terraform-vars': JSON.stringify(vars),
};

async function run(phase: typeof bringup | typeof teardown, inputs: Record<string, string>) {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, RECEIPTS.bucket);
  const io = new MemoryIO({
    'execution-id': 'drill-7',
    'receipt-bucket': RECEIPTS.bucket,
    'receipt-prefix': RECEIPTS.prefix,
    ...inputs,
  });
  const outcome = await runPhase(phase, io, { aws, env: {} });
  return { io, ...outcome, aws };
}

const ESC = String.fromCharCode(27);
const command = (args: string[]) => args[0];

describe('bringup with a stand-in terraform', () => {
  it('inits the locked S3 backend from inputs, plans to a file, applies exactly that plan, reads outputs', async () => {
    const { io, result, receipt } = await run(bringup, backendInputs);
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('ok');
    const calls = terraform.calls();
    expect(calls.map((c) => command(c.args))).toEqual(['version', 'init', 'plan', 'apply', 'output']);
    for (const call of calls) expect(call.cwd).toBe(path.resolve('terraform/runner'));

    type Call = (typeof calls)[number];
    const [version, init, plan, apply, output] = calls as [Call, Call, Call, Call, Call];
    expect(version.args).toEqual(['version', '-json']);
    expect(init.args).toEqual(
      expect.arrayContaining([
        '-input=false',
        '-no-color',
        '-reconfigure',
        '-backend-config=bucket=acme-standby-tfstate',
        '-backend-config=key=standby/runner/drill-7.tfstate',
        '-backend-config=region=us-east-1',
        '-backend-config=dynamodb_table=standby-terraform-locks',
        '-backend-config=use_lockfile=true',
        '-backend-config=encrypt=true',
      ]),
    );
    expect(plan.args).toEqual(expect.arrayContaining(['-input=false', '-no-color', '-lock=true']));
    expect(plan.args).not.toContain('-destroy');
    expect(plan.vars).toEqual(vars); // values reach Terraform through the var file, not the command line
    expect(plan.args.join(' ')).not.toContain('subnet-0123456789abcdef0');
    const planFile = plan.args.find((a) => a.startsWith('-out='))?.slice('-out='.length);
    expect(apply.args.at(-1)).toBe(planFile);
    expect(apply.args).not.toContain('-auto-approve');
    expect(output.args).toEqual(['output', '-json', '-no-color']);

    expect(io.outputs['instance-id']).toBe('i-0123456789abcdef0');
    expect(io.outputs['plan-sha256']).toBe(plan.planSha256);
    expect(io.outputs['terraform-version']).toBe(readPins().terraform);
    const published = JSON.parse(io.outputs['terraform-outputs'] as string);
    expect(published.tags).toEqual(RUNNER_OUTPUTS.tags.value);
    expect(published.bootstrap_secret).toBeUndefined();

    // Receipt: plan hash recorded; the sensitive value is nowhere in it, logs are plain text.
    const stored = await new S3ReceiptStore(new AwsClients().s3, {
      ...RECEIPTS,
      executionId: 'drill-7',
    }).read(receipt?.key as string);
    expect(stored.receipt?.outputs['plan-sha256']).toBe(plan.planSha256);
    expect(JSON.stringify(stored.receipt)).not.toContain('hunter2');
    expect(io.logs.join('\n')).toContain('Apply complete! Resources: 5 added');
    expect(io.logs.join('\n')).not.toContain(ESC);
    expect(io.summaries.join('\n')).toContain('bootstrap_secret'); // named as withheld, value absent
    expect(io.summaries.join('\n')).not.toContain('hunter2');
  });

  it('plan-only: plans, records the planned changes from `show -json`, and applies nothing', async () => {
    const { io, result, receipt } = await run(bringup, { ...backendInputs, 'plan-only': 'true' });
    expect(result.status).toBe('ok');
    expect(terraform.calls().map((c) => command(c.args))).toEqual(['version', 'init', 'plan', 'show']);
    const plan = terraform.calls()[2];
    expect(terraform.calls()[3]?.args.at(-1)).toBe(
      plan?.args.find((a) => a.startsWith('-out='))?.slice('-out='.length),
    );
    expect(JSON.parse(io.outputs['planned-changes'] as string)).toEqual([
      { address: 'aws_iam_role.runner', actions: ['create'] },
      { address: 'aws_instance.runner', actions: ['create'] },
      { address: 'aws_security_group.runner', actions: ['create'] },
    ]);
    expect(io.outputs['instance-id']).toBeUndefined();
    expect(receipt?.receipt?.outputs).toMatchObject({ 'plan-only': true, 'plan-sha256': plan?.planSha256 });
    expect(io.summaries.join('\n')).toContain('Plan only: nothing was applied.');
  });

  it('a failed apply fails the phase with Terraform’s own words, colour and token removed', async () => {
    terraform.failOn('apply');
    const { io, result, receipt } = await run(bringup, backendInputs);
    expect(result.status).toBe('failed');
    expect(result.failure?.reason).toBe('terraform_failed');
    expect(result.failure?.message).toContain('terraform apply exited with 1');
    expect(result.failure?.message).toContain('UnauthorizedOperation');
    for (const text of [result.failure?.message, io.logs.join('\n'), JSON.stringify(receipt?.receipt)]) {
      expect(text).not.toContain('ghp_');
      expect(text).not.toContain(ESC);
    }
    expect(terraform.calls().map((c) => command(c.args))).toEqual(['version', 'init', 'plan', 'apply']);
  });

  it('refuses a terraform on PATH that is not the version pinned in terraform/versions.json', async () => {
    terraform.reportVersion('1.9.8');
    const { result } = await run(bringup, backendInputs);
    expect(result.status).toBe('failed');
    expect(result.failure?.message).toContain(
      `terraform 1.9.8 is on PATH but terraform/versions.json pins ${readPins().terraform}`,
    );
    expect(terraform.calls().map((c) => command(c.args))).toEqual(['version']);
  });

  it('fails when the configuration has no instance_id output', async () => {
    terraform.reset({ private_ip: RUNNER_OUTPUTS.private_ip });
    const { result } = await run(bringup, backendInputs);
    expect(result.status).toBe('failed');
    expect(result.failure?.reason).toBe('no_instance');
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
      ['a bad state key', { 'state-key': '../other.tfstate' }, /input 'state-key'/],
      [
        'terraform-vars that are not an object',
        { 'terraform-vars': '["a"]' },
        /input 'terraform-vars': must be a JSON object/,
      ],
      ['an absolute working directory', { 'working-directory': '/etc' }, /input 'working-directory'/],
    ])('%s', async (_, override, message) => {
      const { result } = await run(bringup, { ...backendInputs, ...override });
      expect(result.status).toBe('failed');
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
      const { result } = await run(bringup, { ...backendInputs, 'working-directory': dir });
      expect(result.status).toBe('failed');
      expect(result.failure?.message).toMatch(message);
      expect(terraform.calls()).toEqual([]);
    });
  });
});

describe('teardown with a stand-in terraform and the emulator’s EC2/IAM', () => {
  const tags = (name = 'standby-dr-runner', purpose = 'standby-dr') => [
    { Key: 'Name', Value: name },
    { Key: 'Purpose', Value: purpose },
    { Key: 'ManagedBy', Value: 'standby' },
    { Key: 'execution', Value: 'drill-7' },
  ];

  async function launch(ec2: EC2Client, tagSet: { Key: string; Value: string }[]) {
    const images = await ec2.send(new DescribeImagesCommand({}));
    const reservation = await ec2.send(
      new RunInstancesCommand({
        ImageId: images.Images?.[0]?.ImageId,
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

  it('destroys with the same state key (plan -destroy -out, apply that plan) and verifies nothing is left', async () => {
    const bring = await run(bringup, backendInputs);
    expect(bring.result.status).toBe('ok');
    const bringInit = terraform.calls()[1]?.args;
    terraform.reset({});
    const { io, result } = await run(teardown, backendInputs);
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('ok');
    const calls = terraform.calls();
    expect(calls.map((c) => command(c.args))).toEqual(['version', 'init', 'plan', 'apply', 'output']);
    expect(calls[1]?.args).toEqual(bringInit);
    expect(calls[2]?.args).toContain('-destroy');
    expect(calls[3]?.args.at(-1)).toBe(calls[2]?.args.find((a) => a.startsWith('-out='))?.slice(5));
    expect(io.outputs.destroyed).toBe('true');
    expect(JSON.parse(io.outputs.leftovers as string)).toEqual([]);
    expect(io.outputs['plan-sha256']).toBe(calls[2]?.planSha256);
    expect(io.outputs['terraform-version']).toBe(readPins().terraform);
  });

  it('refuses a state key other than the one bringup used in this execution, before running Terraform', async () => {
    expect((await run(bringup, backendInputs)).result.status).toBe('ok');
    terraform.reset({});
    const { result } = await run(teardown, { ...backendInputs, 'state-key': 'standby/runner/other.tfstate' });
    expect(result.status).toBe('failed');
    expect(result.failure?.reason).toBe('state_key_mismatch');
    expect(result.failure?.message).toContain('s3://acme-standby-tfstate/standby/runner/drill-7.tfstate');
    expect(terraform.calls()).toEqual([]);
  });

  it('applies input defaults when comparing with bringup (default key given explicitly is the same key)', async () => {
    const { 'state-key': _, ...withoutKey } = backendInputs;
    expect((await run(bringup, withoutKey)).result.status).toBe('ok');
    terraform.reset({});
    const { result } = await run(teardown, { ...withoutKey, 'state-key': 'standby/runner.tfstate' });
    expect(result.status).toBe('ok');
  });

  it('fails naming every tagged instance, volume, security group and instance profile still there', async () => {
    const ec2 = new EC2Client({});
    const iam = new IAMClient({});
    const instanceId = await launch(ec2, tags());
    const group = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'standby-dr-runner-sg',
        Description: 'left behind',
        TagSpecifications: [{ ResourceType: 'security-group', Tags: tags() }],
      }),
    );
    await iam.send(
      new CreateInstanceProfileCommand({
        InstanceProfileName: 'standby-dr-runner-profile',
        Path: '/standby/',
        Tags: tags(),
      }),
    );
    // Decoys: someone else's instance, a terminated runner, a profile outside the runner's path.
    const other = await launch(ec2, tags('standby-dr-runner', 'something-else'));
    const terminated = await launch(ec2, tags());
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));
    await iam.send(
      new CreateInstanceProfileCommand({ InstanceProfileName: 'unrelated-profile', Path: '/', Tags: tags() }),
    );

    terraform.reset({});
    const { io, result } = await run(teardown, backendInputs);
    expect(result.status).toBe('failed');
    expect(result.failure?.reason).toBe('leftovers');
    const message = result.failure?.message as string;
    expect(message).toMatch(/^destroy finished but runner resources remain: /);
    expect(message).toContain(`instance ${instanceId} (running)`);
    expect(message).toContain(`security-group ${group.GroupId} (standby-dr-runner-sg)`);
    expect(message).toContain('instance-profile standby-dr-runner-profile');
    expect(message).toMatch(/volume vol-[0-9a-f]+/);
    for (const decoy of [other, terminated, 'unrelated-profile']) expect(message).not.toContain(decoy);
    const leftovers = JSON.parse(io.outputs.leftovers as string) as { kind: string }[];
    expect(leftovers.map((l) => l.kind).sort()).toEqual([
      'instance',
      'instance-profile',
      'security-group',
      'volume',
    ]);
    expect(io.outputs.destroyed).toBe('true');
  });

  it('looks for the Name given in terraform-vars', async () => {
    const ec2 = new EC2Client({});
    const instanceId = await launch(ec2, tags('dr-blue'));
    terraform.reset({});
    const plain = await run(teardown, backendInputs);
    expect(plain.result.status).toBe('ok');
    const named = await run(teardown, {
      ...backendInputs,
      'terraform-vars': JSON.stringify({ ...vars, name: 'dr-blue' }),
    });
    expect(named.result.status).toBe('failed');
    expect(named.result.failure?.message).toContain(instanceId);
  });

  it('a failed destroy still reports what is left', async () => {
    const instanceId = await launch(new EC2Client({}), tags());
    terraform.failOn('apply');
    const { io, result } = await run(teardown, backendInputs);
    expect(result.status).toBe('failed');
    expect(result.failure?.message).toMatch(
      /^destroy failed \(terraform apply exited with 1.*\) and runner resources remain: .*instance /,
    );
    expect(result.failure?.message).toContain(instanceId);
    expect(io.outputs.destroyed).toBe('false');
  });

  it('verify=false skips the check and says so', async () => {
    await launch(new EC2Client({}), tags());
    terraform.reset({});
    const { io, result } = await run(teardown, { ...backendInputs, verify: 'false' });
    expect(result.status).toBe('ok');
    expect(io.outputs.leftovers).toBe('');
    expect(io.summaries.join('\n')).toContain('skipped (verify=false)');
  });
});
