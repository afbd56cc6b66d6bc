import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { bringup } from '../../src/phases/bringup/index.js';
import type { PhaseDefinition } from '../../src/phases/phase.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { teardown } from '../../src/phases/teardown/index.js';
import { useEmulator } from '../helpers/emulator.js';
import { createStateBackend, installFakeTerraform } from '../helpers/fake-terraform.js';

// The EKS target end to end on the emulator (docs/eks.md): bringup with target_kind = "eks" applies the
// runner module (terraform/runner, through the stand-in terraform) and creates this execution's own ARM
// node group in an existing cluster through moto's EKS API; teardown destroys exactly that node group
// through the execution's state and leaves the cluster and its other node groups alone.

useEmulator();
let terraform: Awaited<ReturnType<typeof installFakeTerraform>>;
beforeAll(async () => {
  terraform = await installFakeTerraform();
});
afterAll(() => terraform.restore());

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CLUSTER = 'prod';
const STATE_BUCKET = 'acme-standby-tfstate';
const LOCK_TABLE = 'standby-terraform-locks';
const RECEIPTS = { bucket: 'receipts', prefix: 'standby/receipts' };
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/standby/standby-eks-node`;
const EKS_VARS = {
  subnet_id: 'subnet-0123456789abcdef0',
  backup_bucket: 'backups',
  eks_cluster_name: CLUSTER,
  eks_node_role_arn: NODE_ROLE,
};
// The target kind is the execution's (the target-kind input); bringup injects it as target_kind.
const inputs = (vars: Record<string, unknown>, kind = 'drill', targetKind = 'eks') => ({
  'target-kind': targetKind,
  'state-bucket': STATE_BUCKET,
  'lock-table': LOCK_TABLE,
  'state-kms-key-id': `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b0c0d0e-1111-2222-3333-444455556666`,
  'terraform-vars': JSON.stringify(vars),
  kind,
  'github-run-id': '7',
});

const eks = () => new EKSClient({ region: REGION });
const nodeGroups = async () =>
  ((await eks().send(new ListNodegroupsCommand({ clusterName: CLUSTER }))).nodegroups ?? []).sort();
const instanceStates = async () =>
  ((await new EC2Client({ region: REGION }).send(new DescribeInstancesCommand({}))).Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .map((i) => i.State?.Name);

async function run(phase: PhaseDefinition<never>, executionId: string, given: Record<string, string>) {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, RECEIPTS.bucket);
  const io = new MemoryIO({
    'execution-id': executionId,
    'receipt-bucket': RECEIPTS.bucket,
    'receipt-prefix': RECEIPTS.prefix,
    ...given,
  });
  return { io, ...(await runPhase(phase as PhaseDefinition, io, { aws, env: {} })) };
}
const up = (executionId: string, vars: Record<string, unknown>, kind = 'drill', targetKind = 'eks') =>
  run(bringup as PhaseDefinition<never>, executionId, inputs(vars, kind, targetKind));
const down = (executionId: string, vars: Record<string, unknown>) => {
  const { kind: _, 'github-run-id': __, ...given } = inputs(vars);
  return run(teardown as PhaseDefinition<never>, executionId, given);
};

beforeEach(async () => {
  terraform.reset();
  await createStateBackend(STATE_BUCKET, LOCK_TABLE, REGION);
  // The customer's cluster, with a node group of its own that standby must never touch.
  await eks().send(
    new CreateClusterCommand({
      name: CLUSTER,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster`,
      resourcesVpcConfig: { subnetIds: ['subnet-0123456789abcdef0'] },
    }),
  );
  await eks().send(
    new CreateNodegroupCommand({
      clusterName: CLUSTER,
      nodegroupName: 'app-workers',
      nodeRole: `arn:aws:iam::${ACCOUNT}:role/app-nodes`,
      subnets: ['subnet-0123456789abcdef0'],
    }),
  );
});

describe('bringup and teardown on an EKS target', () => {
  it('creates one ARM node group for the execution, labelled, tainted and tagged; teardown removes exactly it', async () => {
    const { io, result } = await up('drill-7', EKS_VARS);
    expect(result.failure).toBeUndefined();
    expect(await nodeGroups()).toEqual(['app-workers', 'standby-drill-7']);

    const { nodegroup } = await eks().send(
      new DescribeNodegroupCommand({ clusterName: CLUSTER, nodegroupName: 'standby-drill-7' }),
    );
    expect(nodegroup).toMatchObject({
      nodeRole: NODE_ROLE,
      amiType: 'AL2023_ARM_64_STANDARD',
      capacityType: 'ON_DEMAND',
      instanceTypes: ['t4g.large'],
      subnets: ['subnet-0123456789abcdef0'],
      scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 },
      labels: { 'standby.dev/execution': 'drill-7' },
      taints: [{ key: 'standby.dev/execution', value: 'drill-7', effect: 'NO_SCHEDULE' }],
    });
    expect(nodegroup?.tags).toMatchObject({
      Name: 'standby-drill-7',
      Purpose: 'standby-dr',
      ManagedBy: 'standby',
      execution: 'drill-7',
      'standby-kind': 'drill',
      'standby-state-key': 'standby/runners/drill-7.tfstate',
    });
    // The runner instance is still the kubectl host.
    expect(io.outputs['instance-id']).toMatch(/^i-[0-9a-f]{17}$/);
    expect(JSON.parse(io.outputs['terraform-outputs'] as string)).toMatchObject({
      target_kind: 'eks',
      eks_cluster_name: CLUSTER,
      eks_node_group_name: 'standby-drill-7',
      eks_node_instance_types: ['t4g.large'],
      eks_node_count: 1,
    });

    terraform.reset();
    const gone = await down('drill-7', EKS_VARS);
    expect(gone.result.failure).toBeUndefined();
    expect(await nodeGroups()).toEqual(['app-workers']);
    expect((await eks().send(new DescribeClusterCommand({ name: CLUSTER }))).cluster?.status).toBe('ACTIVE');
    expect(await instanceStates()).toEqual(['terminated']);
  });

  it('two executions on one cluster get a node group each; tearing one down leaves the other', async () => {
    expect((await up('drill-7', EKS_VARS)).result.failure).toBeUndefined();
    expect((await up('alarm-8', { ...EKS_VARS, eks_node_count: 2 }, 'dr')).result.failure).toBeUndefined();
    expect(await nodeGroups()).toEqual(['app-workers', 'standby-alarm-8', 'standby-drill-7']);
    const real = await eks().send(
      new DescribeNodegroupCommand({ clusterName: CLUSTER, nodegroupName: 'standby-alarm-8' }),
    );
    expect(real.nodegroup?.scalingConfig).toEqual({ minSize: 2, maxSize: 2, desiredSize: 2 });
    expect(real.nodegroup?.taints).toEqual([
      { key: 'standby.dev/execution', value: 'alarm-8', effect: 'NO_SCHEDULE' },
    ]);

    terraform.reset();
    expect((await down('drill-7', EKS_VARS)).result.failure).toBeUndefined();
    expect(await nodeGroups()).toEqual(['app-workers', 'standby-alarm-8']);
  });

  it('a k3s bringup (the default) creates no node group', async () => {
    const { eks_cluster_name: _, eks_node_role_arn: __, ...k3s } = EKS_VARS;
    expect((await up('drill-7', k3s, 'drill', 'k3s')).result.failure).toBeUndefined();
    expect(await nodeGroups()).toEqual(['app-workers']);
    expect(terraform.commands()).toEqual(['version', 'init', 'plan', 'apply', 'output']);
  });
});

describe('the target kind has one source: the execution', () => {
  it('terraform-vars that set another target_kind are refused before Terraform runs', async () => {
    const { result } = await up('drill-7', { ...EKS_VARS, target_kind: 'k3s' });
    expect(result.failure?.reason).toBe('invalid_input');
    expect(result.failure?.message).toContain(
      `terraform-vars sets 'target_kind' to "k3s", but bringup sets it to 'eks'`,
    );
    expect(result.failure?.message).toContain('target_kind from target-kind');
    expect(terraform.commands()).toEqual([]);
    expect(await nodeGroups()).toEqual(['app-workers']);
  });
});

describe('what Terraform refuses, the stand-in refuses before creating anything', () => {
  it.each([
    [
      'eks without a cluster name',
      { ...EKS_VARS, eks_cluster_name: '' },
      'eks_cluster_name must name the existing EKS cluster when target_kind is eks',
    ],
    [
      'an x86 node type',
      { ...EKS_VARS, eks_node_instance_types: ['m5.large'] },
      'eks_node_instance_types must be a non-empty list of ARM Graviton instance types',
    ],
    [
      'a node role outside /standby/',
      { ...EKS_VARS, eks_node_role_arn: `arn:aws:iam::${ACCOUNT}:role/eks-node` },
      'eks_node_role_arn must be an IAM role ARN under the path /standby/',
    ],
  ])('%s: the plan fails with the module’s own validation message', async (_, vars, message) => {
    const { result } = await up('drill-7', vars);
    expect(result.failure?.reason).toBe('terraform_failed');
    expect(result.failure?.message).toContain('Invalid value for variable');
    expect(result.failure?.message).toContain(message);
    expect(terraform.commands()).not.toContain('apply');
    expect(await nodeGroups()).toEqual(['app-workers']);
    expect(await instanceStates()).toEqual([]);
  });

  it('a cluster that does not exist fails the plan (the data source), and no cluster is created', async () => {
    const { result } = await up('drill-7', { ...EKS_VARS, eks_cluster_name: 'missing' });
    expect(result.failure?.message).toContain("reading EKS Cluster (missing): couldn't find resource");
    expect(terraform.commands()).not.toContain('apply');
    await expect(eks().send(new DescribeClusterCommand({ name: 'missing' }))).rejects.toThrow();
    expect(await instanceStates()).toEqual([]);
  });
});
