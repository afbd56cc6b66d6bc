// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadModule, resource } from '../helpers/terraform-modules.js';
import { type Value, validationErrors } from './hcl-eval.js';
import { ACCOUNT, EKS_DEPLOYMENT, type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// The orchestrator's once-per-deployment EKS pieces (terraform/orchestrator/eks.tf, docs/eks.md): the node
// role and the runner role's namespace-scoped access entry, only with eks_cluster_name set.

let without: Orchestrator;
let withEks: Orchestrator;
beforeAll(async () => {
  without = await orchestrator();
  withEks = await orchestrator(EKS_DEPLOYMENT);
});

const EKS_RESOURCES = [
  'aws_iam_role.eks_node',
  'aws_eks_access_entry.runner',
  'aws_eks_access_policy_association.runner',
] as const;
const count = (o: Orchestrator, address: string) => {
  const [type, name] = address.split('.') as [string, string];
  return o.value(resource(o.module, type, name).count);
};

describe('orchestrator: the EKS target', () => {
  it('creates nothing for EKS without eks_cluster_name', () => {
    for (const address of EKS_RESOURCES) expect([address, count(without, address)]).toEqual([address, 0]);
    const attachments = resource(without.module, 'aws_iam_role_policy_attachment', 'eks_node');
    expect(without.value(attachments.for_each)).toEqual([]);
    expect(without.value(without.module.outputs.eks_node_role_arn?.value)).toBe('');
  });

  it('with it: a node role under /standby/ with exactly the three node policies AWS documents', () => {
    for (const address of EKS_RESOURCES) expect([address, count(withEks, address)]).toEqual([address, 1]);
    const role = resource(withEks.module, 'aws_iam_role', 'eks_node');
    expect([withEks.value(role.name), withEks.value(role.path)]).toEqual(['standby-eks-node', '/standby/']);
    const trust = withEks.document('eks_node_assume');
    expect(trust.Statement).toEqual([
      { Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: ['ec2.amazonaws.com'] } },
    ]);
    const attachments = resource(withEks.module, 'aws_iam_role_policy_attachment', 'eks_node');
    expect((withEks.value(attachments.for_each) as string[]).sort()).toEqual([
      'AmazonEC2ContainerRegistryPullOnly',
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
    ]);
    expect(withEks.value(attachments.policy_arn.replace('${each.key}', 'AmazonEKSWorkerNodePolicy'))).toBe(
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    );
  });

  it("the runner role's access: one STANDARD entry, AmazonEKSEditPolicy scoped to the eks targets' namespaces only", () => {
    const entry = resource(withEks.module, 'aws_eks_access_entry', 'runner');
    expect(withEks.value(entry.cluster_name)).toBe('prod');
    expect(withEks.value(entry.principal_arn)).toBe(`arn:aws:iam::${ACCOUNT}:role/standby/standby-runner`);
    expect(entry.type).toBe('STANDARD');
    expect(entry.kubernetes_groups).toBeUndefined();
    const association = resource(withEks.module, 'aws_eks_access_policy_association', 'runner');
    expect(withEks.value(association.policy_arn)).toBe(
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
    );
    expect(withEks.value(association.access_scope)).toEqual([
      // search is the eks target; orders (k3s) has a namespace too, which the policy does not reach.
      { type: 'namespace', namespaces: ['search'] },
    ]);
  });

  it('outputs the node role for the runner module (eks_node_role_arn), which the runner module accepts', () => {
    expect(withEks.module.outputs.eks_node_role_arn?.value).toBe(
      '${local.eks == 1 ? aws_iam_role.eks_node[0].arn : ""}',
    );
    expect(withEks.value('${local.eks_node_role_arn}')).toBe(
      `arn:aws:iam::${ACCOUNT}:role/standby/standby-eks-node`,
    );
  });

  it('eks_cluster_name goes with eks targets (both or neither), and every eks target names its namespace', () => {
    const targets = EKS_DEPLOYMENT.targets as Record<string, Record<string, Value>>;
    const refusals = (cluster: string, patch: Record<string, Value> = {}) =>
      validationErrors(withEks.module, 'eks_cluster_name', cluster, {
        ...withEks.scope.vars,
        targets: { ...targets, search: { ...targets.search, ...patch } },
      });
    expect(refusals('prod')).toEqual([]);
    expect(refusals('')).toHaveLength(1);
    expect(refusals('', { target_kind: 'k3s' })).toEqual([]);
    expect(refusals('prod', { target_kind: 'k3s' })).toHaveLength(1);
    expect(refusals('prod', { namespace: null })).toEqual([
      "Every target of target_kind eks must name its namespace: the runner role's access on the cluster is scoped to it.",
    ]);
    for (const bad of ['-x', 'has space', 'x'.repeat(101)])
      expect([bad, refusals(bad).length]).toEqual([bad, 1]);
    // The single-publisher form has one k3s target: no cluster.
    expect(validationErrors(without.module, 'eks_cluster_name', '', without.scope.vars)).toEqual([]);
    expect(validationErrors(without.module, 'eks_cluster_name', 'prod', without.scope.vars)).toHaveLength(1);
  });
});

describe('runner module and orchestrator agree on the node role', () => {
  it('the orchestrator-made node role passes the runner module validation', async () => {
    const runner = await loadModule('runner');
    const arn = withEks.value('${local.eks_node_role_arn}');
    const errors = validationErrors(runner, 'eks_node_role_arn', arn, {
      target_kind: 'eks',
      eks_cluster_name: 'prod',
    });
    expect(errors).toEqual([]);
  });
});
