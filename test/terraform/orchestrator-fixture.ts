// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import type { Block, TerraformModule } from '../helpers/terraform-modules.js';
import { loadModule } from '../helpers/terraform-modules.js';
import {
  type EvalScope,
  evaluate,
  type PolicyJson,
  renderPolicyDocument,
  type Value,
  variableValues,
} from './hcl-eval.js';

/** A first deployment as docs/deploy.md describes it, with a seed-style publisher (marker openai_top.cs.md). */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const OWNER = { login: 'acme', id: '4242' };
export const REPO = { name: 'standby', id: '987654321' };
export const STATE_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b0c0d0e-1111-2222-3333-444455556666`;

export const SAMPLE_VARS: Record<string, Value> = {
  region: REGION,
  account_id: ACCOUNT,
  github_owner: OWNER.login,
  github_owner_id: OWNER.id,
  github_repository: REPO.name,
  github_repository_id: REPO.id,
  github_dispatch_token: `github_pat_${'A1'.repeat(20)}`,
  publish_bucket: 'acme-publish',
  publish_prefix: 'batch',
  publish_region: 'us-east-1',
  publish_providers: ['openai/top', 'acme/daily'],
  expected_marker_file: 'openai_top.cs.md',
  receipt_bucket: 'acme-standby-receipts',
  backup_bucket: 'acme-backups-dr',
  backup_prefix: 'prod',
  state_bucket: 'acme-standby-tfstate',
  state_kms_key_arn: STATE_KEY_ARN,
  promotion_reviewers: { users: [1001, 1002], teams: [] },
};

/** A digest-pinned loader image, what an eks target's restore needs (targets.loader_image). */
export const EKS_LOADER_IMAGE = `public.ecr.aws/docker/library/busybox@sha256:${'b'.repeat(64)}`;

/**
 * A deployment with an EKS target (docs/eks.md): targets `orders` (k3s) and `search` (eks, namespace
 * `search`) and the cluster `prod`; the single-publisher variables are not given (null), as with targets.
 */
export const EKS_DEPLOYMENT: Record<string, Value> = {
  publish_bucket: null,
  publish_providers: null,
  backup_bucket: null,
  eks_cluster_name: 'prod',
  targets: {
    orders: {
      publish_bucket: 'acme-publish',
      publish_prefix: 'orders',
      providers: [{ provider: 'acme', profile: 'daily' }],
      backup_bucket: 'acme-backups-dr',
      backup_prefix: 'orders',
      expected_marker_file: null,
      namespace: 'orders',
      state_claim: null,
      target_kind: 'k3s',
      metric_dimensions: null,
    },
    search: {
      publish_bucket: 'search-publish',
      publish_prefix: '',
      providers: [{ provider: 'openai', profile: 'top' }],
      backup_bucket: 'acme-backups-dr',
      backup_prefix: 'search',
      expected_marker_file: null,
      namespace: 'search',
      state_claim: 'index-state',
      target_kind: 'eks',
      metric_dimensions: null,
      storage_class: 'gp3',
      loader_image: EKS_LOADER_IMAGE,
    },
  },
};

const arn = (service: string, rest: string, region = REGION) =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`;

/** What a plan would know about resources the policies refer to (everything else renders as <path>). */
export const KNOWN: Record<string, Value> = {
  'data.aws_caller_identity.current.account_id': ACCOUNT,
  'data.aws_partition.current.partition': 'aws',
  'aws_iam_openid_connect_provider.github[0].arn': `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
  'aws_iam_role.runner.arn': `arn:aws:iam::${ACCOUNT}:role/standby/standby-runner`,
  'aws_iam_role.github.infra.arn': `arn:aws:iam::${ACCOUNT}:role/standby/standby-infra`,
  'aws_kms_key.backup_signing[0].arn': arn('kms', 'key/77777777-8888-9999-aaaa-bbbbbbbbbbbb'),
  'aws_kms_key.receipts.arn': arn('kms', 'key/11111111-2222-3333-4444-555555555555'),
  'aws_kms_key.notifications.arn': arn('kms', 'key/66666666-7777-8888-9999-000000000000'),
  'aws_sns_topic.notifications.arn': arn('sns', 'standby-dr-notifications'),
  'module.receipt_bucket.arn': 'arn:aws:s3:::acme-standby-receipts',
  'module.receipt_bucket.id': 'acme-standby-receipts',
  'aws_cloudwatch_event_connection.github.arn': arn('events', 'connection/standby-github-dispatch/5f0a2b1c'),
  'aws_cloudwatch_event_connection.github.secret_arn': arn(
    'secretsmanager',
    'secret:events!connection/standby-github-dispatch/5f0a2b1c-AbCdEf',
  ),
  'aws_cloudwatch_metric_alarm.freshness.arn': arn('cloudwatch', 'alarm:standby-pipeline-freshness'),
  'aws_cloudwatch_metric_alarm.correctness.arn': arn('cloudwatch', 'alarm:standby-publish-correctness'),
  'aws_cloudwatch_metric_alarm.backup_age.arn': arn('cloudwatch', 'alarm:standby-backup-age'),
  'aws_sfn_state_machine.bridge.arn': arn('states', 'stateMachine:standby-dr-bridge'),
};

export interface Orchestrator {
  module: TerraformModule;
  scope: EvalScope;
  /** A policy document rendered; `each` for a document with for_each. */
  document(name: string, each?: string): PolicyJson;
  /** Every inline policy attached to a role (aws_iam_role_policy), keyed by the role's Terraform address. */
  rolePolicies(role: string): PolicyJson[];
  value(raw: unknown): Value;
  /** Evaluates `raw` inside one instance of a for_each block (each.key = key). */
  instanceValue(block: Block, key: string, raw: unknown): Value;
}

export async function orchestrator(overrides: Record<string, Value> = {}): Promise<Orchestrator> {
  const module = await loadModule('orchestrator');
  const scope: EvalScope = {
    module,
    vars: variableValues(module, { ...SAMPLE_VARS, ...overrides }),
    known: KNOWN,
  };
  const document = (name: string, each?: string) => {
    const doc = module.data.aws_iam_policy_document?.[name];
    if (!doc) throw new Error(`no aws_iam_policy_document.${name}`);
    const eachScope = each === undefined ? scope : withEach(doc, each, scope);
    return renderPolicyDocument(doc, eachScope);
  };
  return {
    module,
    scope,
    document,
    value: (raw) => evaluate(raw, scope),
    instanceValue: (block, key, raw) => evaluate(raw, withEach(block, key, scope)),
    rolePolicies: (role) => attachedDocuments(module, role).map((name) => document(name)),
  };
}

function withEach(doc: Block, key: string, scope: EvalScope): EvalScope {
  const collection = evaluate(doc.for_each, scope) as Record<string, Value> | Value[];
  // A set's instances are keyed by the element itself (each.key = each.value).
  if (Array.isArray(collection)) {
    if (!collection.includes(key)) throw new Error(`for_each has no key ${key}`);
    return { ...scope, iterators: { ...scope.iterators, each: { key, value: key } } };
  }
  if (!(key in collection)) throw new Error(`for_each has no key ${key}`);
  return { ...scope, iterators: { ...scope.iterators, each: { key, value: collection[key] as Value } } };
}

/**
 * Policy documents attached to a role, read from the aws_iam_role_policy resources themselves: `role` is
 * e.g. 'aws_iam_role.github["infra"]' or 'aws_iam_role.runner'.
 */
function attachedDocuments(module: TerraformModule, role: string): string[] {
  const [, type, name, key] = /^(aws_iam_role)\.(\w+)(?:\["(\w+)"\])?$/.exec(role) ?? [];
  if (!type) throw new Error(`not a role address: ${role}`);
  const documents: string[] = [];
  for (const attachment of Object.values(module.resources.aws_iam_role_policy ?? {})) {
    const policy = /data\.aws_iam_policy_document\.(\w+)\.json/.exec(String(attachment.policy))?.[1];
    const target = String(attachment.role);
    const direct = key
      ? target.includes(`aws_iam_role.${name}["${key}"]`)
      : target === `\${aws_iam_role.${name}.id}`;
    const forEachAll =
      target === '${each.value.id}' && String(attachment.for_each) === `\${aws_iam_role.${name}}`;
    if (policy && (direct || forEachAll)) documents.push(policy);
  }
  if (documents.length === 0) throw new Error(`no inline policy attached to ${role}`);
  return documents.sort();
}
