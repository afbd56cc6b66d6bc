// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadModule, resource, type TerraformModule } from '../helpers/terraform-modules.js';
import { type EvalScope, evaluate, type Value, validationErrors, variableValues } from './hcl-eval.js';
import { allowed } from './iam-eval.js';
import { ACCOUNT, type Orchestrator, orchestrator, REGION } from './orchestrator-fixture.js';

// The runner module against the shared contract (docs/terraform.md, "Runner module contract"): what
// bringup injects, the tag set, the dead-man switch settings, no IAM of its own, and that the tags it
// sets are exactly what the orchestrator's roles require.

/** DESIGN's runnerName(): standby- + lowercased id, [^a-z0-9-] -> '-', hashed suffix when changed or long. */
function runnerName(executionId: string): string {
  const base = `standby-${executionId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
  if (base === `standby-${executionId}` && base.length <= 40) return base;
  const hash = createHash('sha256').update(executionId).digest('hex').slice(0, 8);
  return `${base.slice(0, 40 - 9).replace(/-+$/, '')}-${hash}`;
}

const INJECTED = {
  region: REGION,
  execution_id: 'drill-123456789',
  name: runnerName('drill-123456789'),
  expires_at: '2026-11-28T10:00:00Z',
  kind: 'drill',
  github_run_id: '123456789',
  state_key: 'standby/runners/drill-123456789.tfstate',
};
const GIVEN = {
  subnet_id: 'subnet-0123456789abcdef0',
  backup_bucket: 'acme-backups-dr',
  backup_prefix: 'prod',
};

let runner: TerraformModule;
let scope: EvalScope;
let o: Orchestrator;
beforeAll(async () => {
  runner = await loadModule('runner');
  scope = { module: runner, vars: variableValues(runner, { ...INJECTED, ...GIVEN }) };
  o = await orchestrator();
});

describe('runner variables', () => {
  it('what bringup injects and what the user must give have no default; everything else has one', () => {
    const required = Object.entries(runner.variables)
      .filter(([, block]) => !('default' in block))
      .map(([name]) => name)
      .sort();
    expect(required).toEqual([...Object.keys(INJECTED), 'subnet_id', 'backup_bucket'].sort());
  });

  const accepts = (name: string, value: Value) => validationErrors(runner, name, value, scope.vars);

  it.each([
    [
      'expires_at',
      '2026-11-28T10:00:00Z',
      ['2026-11-28T10:00:00+01:00', '2026-11-28', '2026-11-28T10:00Z', 'tomorrow'],
    ],
    ['kind', 'dr', ['prod', 'DRILL', '']],
    ['github_run_id', '', ['abc', '0123', '-1']],
    ['state_key', 'standby/runners/alarm-1.tfstate', ['/abs.tfstate', 'a/../b', 'with space']],
    ['execution_id', 'dr-99', ['', 'a/b', 'x'.repeat(129)]],
  ])('%s accepts %j and refuses bad values', (name, good, bad) => {
    expect(accepts(name, good)).toEqual([]);
    for (const value of bad as string[]) expect([value, accepts(name, value).length]).toEqual([value, 1]);
  });

  it.each(['drill-1', 'alarm-20260101', 'dr-1234567890123', 'Drill_Weird.ID', 'x'.repeat(128)])(
    'accepts the runner name bringup derives from %s',
    (id) => {
      expect(accepts('name', runnerName(id))).toEqual([]);
    },
  );

  it('extra tags cannot override the shared set, and must be readable through instance metadata', () => {
    expect(accepts('extra_tags', { team: 'dr', 'cost:center': 'x@1' })).toEqual([]);
    for (const key of ['Purpose', 'standby-expires-at', 'standby-anything'])
      expect(accepts('extra_tags', { [key]: 'x' })).toHaveLength(1);
    for (const key of ['cost/center', 'has space', '_index', '.', '..'])
      expect([key, accepts('extra_tags', { [key]: 'x' }).length]).toEqual([key, 1]);
  });
});

describe('the EKS target variables (docs/eks.md)', () => {
  const eks = { target_kind: 'eks' };
  const refusal = (name: string, value: Value, others: Record<string, Value> = {}) =>
    validationErrors(runner, name, value, { ...scope.vars, ...others });

  it('target_kind is k3s by default, and only k3s or eks', () => {
    expect(runner.variables.target_kind?.default).toBe('k3s');
    for (const good of ['k3s', 'eks']) expect(refusal('target_kind', good)).toEqual([]);
    for (const bad of ['EKS', 'k8s', '']) expect([bad, refusal('target_kind', bad).length]).toEqual([bad, 1]);
  });

  it.each([
    ['eks_cluster_name', 'prod-cluster_1'],
    ['eks_node_role_arn', `arn:aws:iam::${ACCOUNT}:role/standby/standby-eks-node`],
  ])('%s may stay empty on k3s, is required on eks, and must be well formed there', (name, good) => {
    expect(runner.variables[name]?.default).toBe('');
    expect(refusal(name, '')).toEqual([]);
    expect(refusal(name, '', eks)).toHaveLength(1);
    expect(refusal(name, good, eks)).toEqual([]);
  });

  it('refuses a malformed cluster name and a node role outside /standby/', () => {
    for (const bad of ['-lead', 'has space', 'x'.repeat(101)])
      expect([bad, refusal('eks_cluster_name', bad, eks).length]).toEqual([bad, 1]);
    for (const bad of [
      `arn:aws:iam::${ACCOUNT}:role/eks-node`,
      `arn:aws:iam::${ACCOUNT}:role/other/standby-eks-node`,
      `arn:aws:iam::${ACCOUNT}:user/standby/x`,
      'standby-eks-node',
    ])
      expect([bad, refusal('eks_node_role_arn', bad, eks).length]).toEqual([bad, 1]);
  });

  it('node instance types are ARM Graviton only (an x86 type cannot boot AL2023_ARM_64_STANDARD)', () => {
    expect(runner.variables.eks_node_instance_types?.default).toEqual(['t4g.large']);
    for (const good of [
      't4g.large',
      'm7g.xlarge',
      'c7gn.2xlarge',
      'm6gd.large',
      'x2gd.medium',
      'im4gn.large',
      'is4gen.xlarge',
      'r8g.metal-24xl',
    ])
      expect([good, refusal('eks_node_instance_types', [good], eks)]).toEqual([good, []]);
    for (const bad of [
      'm5.large',
      't3.large',
      'm7i.large',
      'm7a.large',
      'c5n.large',
      'g5.xlarge',
      'm7i-flex.large',
      'T4G.large',
      't4g',
    ])
      expect([bad, refusal('eks_node_instance_types', ['t4g.large', bad], eks).length]).toEqual([bad, 1]);
    expect(refusal('eks_node_instance_types', [], eks)).toHaveLength(1);
  });

  it('node count is a whole number from 1 to 10', () => {
    for (const good of [1, 10]) expect(refusal('eks_node_count', good, eks)).toEqual([]);
    for (const bad of [0, 11, 1.5])
      expect([bad, refusal('eks_node_count', bad, eks).length]).toEqual([bad, 1]);
  });

  it('target follows the one table of target names (test/fixtures/target-name-cases.json)', () => {
    const cases = JSON.parse(readFileSync('test/fixtures/target-name-cases.json', 'utf8')) as {
      valid: string[];
      invalid: string[];
    };
    for (const good of cases.valid) expect([good, refusal('target', good)]).toEqual([good, []]);
    for (const bad of cases.invalid) expect([bad, refusal('target', bad).length]).toEqual([bad, 1]);
  });

  it('on eks the execution id must also be a Kubernetes label value (it labels and taints the node group)', () => {
    for (const id of ['drill-123456789', 'Drill_Weird.ID', 'x'.repeat(63)])
      expect(refusal('execution_id', id, eks)).toEqual([]);
    for (const id of ['x'.repeat(64), '_drill', 'drill.']) {
      expect([id, refusal('execution_id', id).length]).toEqual([id, 0]);
      expect([id, refusal('execution_id', id, eks).length]).toEqual([id, 1]);
    }
  });
});

describe('runner resources', () => {
  const instance = () => resource(runner, 'aws_instance', 'runner');

  it('tags every resource with the shared set', () => {
    expect(evaluate('${local.tags}', scope)).toEqual({
      Name: INJECTED.name,
      Purpose: 'standby-dr',
      ManagedBy: 'standby',
      execution: 'drill-123456789',
      'standby-kind': 'drill',
      'standby-expires-at': '2026-11-28T10:00:00Z',
      'standby-run-id': '123456789',
      'standby-state-key': 'standby/runners/drill-123456789.tfstate',
      'standby-target': 'default', // the module's default: a bringup from before targets injects none
    });
    const targeted = { ...scope, vars: { ...scope.vars, target: 'orders' } };
    expect((evaluate('${local.tags}', targeted) as Record<string, string>)['standby-target']).toBe('orders');
    const terminal = { ...scope, vars: { ...scope.vars, github_run_id: '' } };
    expect((evaluate('${local.tags}', terminal) as Record<string, string>)['standby-run-id']).toBe('none');
    expect(instance().tags).toBe('${local.tags}');
    expect(instance().volume_tags).toBe('${local.tags}');
    expect(runner.providers.aws?.default_tags[0].tags).toBe('${local.tags}');
  });

  it('every tag key is one EC2 accepts with tags in instance metadata', () => {
    for (const key of Object.keys(evaluate('${local.tags}', scope) as object)) {
      expect(key).toMatch(/^[A-Za-z0-9+=.,_:@-]{1,128}$/);
      expect(['.', '..', '_index']).not.toContain(key);
    }
  });

  it('the dead-man switch: shutdown terminates, tags are visible in IMDS, IMDSv2 only', () => {
    expect(instance().instance_initiated_shutdown_behavior).toBe('terminate');
    expect(instance().metadata_options[0]).toMatchObject({
      http_tokens: 'required',
      instance_metadata_tags: 'enabled',
      http_put_response_hop_limit: 1,
    });
  });

  it('creates no IAM: it runs as the orchestrator-made profile, looked up (and its path checked) at plan time', () => {
    expect(Object.keys(runner.resources).filter((type) => type.startsWith('aws_iam_'))).toEqual([]);
    expect(instance().iam_instance_profile).toBe('${data.aws_iam_instance_profile.runner.name}');
    const lookup = runner.data.aws_iam_instance_profile?.runner;
    expect(lookup?.name).toBe('${var.instance_profile_name}');
    expect(lookup?.lifecycle[0].postcondition[0].condition).toBe('${self.path == "/standby/"}');
    expect(runner.variables.instance_profile_name?.default).toBe('standby-runner');
    // The orchestrator creates exactly that profile, under /standby/.
    const profile = o.module.resources.aws_iam_instance_profile?.runner;
    expect([o.value(profile?.name), o.value(profile?.path)]).toEqual(['standby-runner', '/standby/']);
  });

  it('outputs what bringup reads', () => {
    for (const output of ['instance_id', 'runner_name', 'expires_at'])
      expect(Object.keys(runner.outputs)).toContain(output);
    expect(runner.outputs.instance_id?.value).toBe('${aws_instance.runner.id}');
    expect(runner.outputs.runner_name?.value).toBe('${var.name}');
    expect(runner.outputs.expires_at?.value).toBe('${var.expires_at}');
    // The drill's cost prices the runner by these (bringup's instance-type and root-volume-gb).
    expect(runner.outputs.instance_type?.value).toBe('${aws_instance.runner.instance_type}');
    expect(runner.outputs.root_volume_size_gb?.value).toBe('${var.root_volume_size_gb}');
  });
});

describe('the EKS target resources (terraform/runner/eks.tf)', () => {
  const EKS_VARS = {
    target_kind: 'eks',
    eks_cluster_name: 'prod',
    eks_node_role_arn: `arn:aws:iam::${ACCOUNT}:role/standby/standby-eks-node`,
  };
  const eksScope = () => ({ ...scope, vars: { ...scope.vars, ...EKS_VARS } });
  /** Every resource and data source a plan would have, with its instance count. */
  const planned = (s: EvalScope) => {
    const all: Record<string, number> = {};
    for (const [kind, blocks] of [
      ['', runner.resources],
      ['data.', runner.data],
    ] as const)
      for (const [type, byName] of Object.entries(blocks))
        for (const [name, block] of Object.entries(byName))
          all[`${kind}${type}.${name}`] =
            block.count === undefined ? 1 : (evaluate(block.count, s) as number);
    return Object.fromEntries(Object.entries(all).filter(([, n]) => n > 0));
  };
  const nodeGroup = () => resource(runner, 'aws_eks_node_group', 'execution');

  it('on k3s (the default) the plan has exactly the resources it had before the EKS target', () => {
    expect(scope.vars.target_kind).toBe('k3s');
    expect(planned(scope)).toEqual({
      'aws_security_group.runner': 1,
      'aws_instance.runner': 1,
      'data.aws_subnet.runner': 1,
      'data.aws_ssm_parameter.ami': 1,
      'data.aws_iam_instance_profile.runner': 1,
    });
  });

  it('on eks it adds one node group, and only looks up the cluster and the access entry (creates neither)', () => {
    expect(planned(eksScope())).toEqual({
      ...planned(scope),
      'aws_eks_node_group.execution': 1,
      'data.aws_eks_cluster.target': 1,
      'data.aws_eks_access_entry.runner': 1,
    });
    expect(Object.keys(runner.resources).filter((type) => type.startsWith('aws_eks_'))).toEqual([
      'aws_eks_node_group',
    ]);
    expect(runner.data.aws_eks_cluster?.target?.name).toBe('${var.eks_cluster_name}');
    expect(runner.data.aws_eks_access_entry?.runner?.principal_arn).toBe(
      '${data.aws_iam_instance_profile.runner.role_arn}',
    );
  });

  it("the node group is the execution's: named after it, ARM, in the runner's subnet, labelled and tainted with its id, tagged like every runner resource", () => {
    const s = eksScope();
    const ng = nodeGroup();
    expect(evaluate(ng.node_group_name, s)).toBe(INJECTED.name);
    expect(ng.cluster_name).toBe('${data.aws_eks_cluster.target[0].name}');
    expect(ng.ami_type).toBe('AL2023_ARM_64_STANDARD');
    expect(evaluate(ng.instance_types, s)).toEqual(['t4g.large']);
    expect(evaluate(ng.subnet_ids, s)).toEqual([GIVEN.subnet_id]);
    expect(evaluate(ng.node_role_arn, s)).toBe(EKS_VARS.eks_node_role_arn);
    expect(evaluate(ng.scaling_config[0], s)).toEqual({ desired_size: 1, min_size: 1, max_size: 1 });
    expect(evaluate(ng.labels, s)).toEqual({ 'standby.dev/execution': INJECTED.execution_id });
    expect(evaluate(ng.taint, s)).toEqual([
      { key: 'standby.dev/execution', value: INJECTED.execution_id, effect: 'NO_SCHEDULE' },
    ]);
    expect(ng.tags).toBe('${local.tags}');
    // No SSH into the nodes, no launch template that could carry another AMI.
    expect(ng.remote_access).toBeUndefined();
    expect(ng.launch_template).toBeUndefined();
  });

  it('refuses at plan time a cluster without access entries or in another VPC than the runner', () => {
    const lookup = runner.data.aws_eks_cluster?.target;
    const conditions = ((lookup?.lifecycle[0].postcondition ?? []) as { condition: string }[]).map(
      (p) => p.condition,
    );
    expect(conditions).toEqual([
      '${contains(["API", "API_AND_CONFIG_MAP"], self.access_config[0].authentication_mode)}',
      '${self.vpc_config[0].vpc_id == data.aws_subnet.runner.vpc_id}',
    ]);
  });

  it('outputs what the drill and the kubectl host need (empty on k3s)', () => {
    expect(evaluate(runner.outputs.target_kind?.value, scope)).toBe('k3s');
    expect(evaluate(runner.outputs.eks_cluster_name?.value, scope)).toBe('');
    expect(evaluate(runner.outputs.eks_node_instance_types?.value, scope)).toEqual([]);
    expect(evaluate(runner.outputs.eks_node_count?.value, eksScope())).toBe(1);
    expect(evaluate(runner.outputs.eks_cluster_name?.value, eksScope())).toBe('prod');
  });
});

describe('the runner tags satisfy what the roles require (the two modules agree)', () => {
  const tags = () => evaluate('${local.tags}', scope) as Record<string, string>;
  const prefixed = (prefix: string) =>
    Object.fromEntries(Object.entries(tags()).map(([k, v]) => [`${prefix}${k}`, v]));
  const instanceArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;

  it('infra may launch it (request tags) and later terminate it (resource tags)', () => {
    const infra = o.rolePolicies('aws_iam_role.github["infra"]');
    expect(
      allowed(infra, {
        action: 'ec2:RunInstances',
        resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`,
        context: prefixed('aws:RequestTag/'),
      }),
    ).toBe(true);
    expect(
      allowed(infra, {
        action: 'ec2:TerminateInstances',
        resource: instanceArn,
        context: prefixed('ec2:ResourceTag/'),
      }),
    ).toBe(true);
  });

  it('operate may send it commands and extend its expiry', () => {
    const operate = o.rolePolicies('aws_iam_role.github["operate"]');
    expect(
      allowed(operate, {
        action: 'ssm:SendCommand',
        resource: instanceArn,
        context: prefixed('ssm:resourceTag/'),
      }),
    ).toBe(true);
    expect(
      allowed(operate, {
        action: 'ec2:CreateTags',
        resource: instanceArn,
        context: { ...prefixed('ec2:ResourceTag/'), 'aws:TagKeys': ['standby-expires-at'] },
      }),
    ).toBe(true);
  });

  it('its state key is one the infra role may use (bringup: <prefix>/<execution id>.tfstate)', () => {
    const infra = o.rolePolicies('aws_iam_role.github["infra"]');
    expect(
      allowed(infra, {
        action: 's3:PutObject',
        resource: `arn:aws:s3:::acme-standby-tfstate/${INJECTED.state_key}`,
      }),
    ).toBe(true);
  });
});
