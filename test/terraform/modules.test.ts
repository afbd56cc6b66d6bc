// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings in parsed HCL
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  ALL_MODULE_NAMES,
  type Block,
  exists,
  loadModule,
  MODULE_NAMES,
  readPins,
  resource,
  type TerraformModule,
  validationRegex,
} from '../helpers/terraform-modules.js';

const modules: Record<string, TerraformModule> = {};
beforeAll(async () => {
  for (const name of ALL_MODULE_NAMES) modules[name] = await loadModule(name);
});
const mod = (name: (typeof ALL_MODULE_NAMES)[number]) => modules[name] as TerraformModule;

describe('module layout (terraform-aws-modules style)', () => {
  it.each(ALL_MODULE_NAMES)('%s has main.tf, variables.tf, outputs.tf, versions.tf and a README', (name) => {
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md'])
      expect([name, exists(name, file)]).toEqual([name, true]);
  });

  it.each(ALL_MODULE_NAMES)(
    '%s: every variable has a description and a type, and every non-bool one a validation',
    (name) => {
      const problems: string[] = [];
      for (const [variable, block] of Object.entries(mod(name).variables)) {
        if (!block.description) problems.push(`${variable}: no description`);
        if (!block.type) problems.push(`${variable}: no type`);
        if (block.type !== '${bool}' && !(block.validation?.length > 0))
          problems.push(`${variable}: no validation`);
      }
      expect(problems).toEqual([]);
    },
  );

  it.each(ALL_MODULE_NAMES)('%s: every output has a description', (name) => {
    const missing = Object.entries(mod(name).outputs)
      .filter(([, block]) => !block.description)
      .map(([key]) => key);
    expect(missing).toEqual([]);
  });
});

describe('versions pinned in one place (terraform/versions.json)', () => {
  const pins = readPins();

  it('pins an exact Terraform version and a k3s release with its arm64 sha256', () => {
    expect(pins.terraform).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pins.k3s.version).toMatch(/^v\d+\.\d+\.\d+\+k3s\d+$/);
    expect(pins.k3s.arm64_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(ALL_MODULE_NAMES)(
    '%s: required_version admits the pinned Terraform and nothing below 1.11',
    (name) => {
      const constraint = mod(name).terraform.find((block) => block.required_version)
        ?.required_version as string;
      expect(satisfies(pins.terraform, constraint)).toBe(true);
      expect(satisfies('1.10.5', constraint)).toBe(false);
      expect(satisfies('2.0.0', constraint)).toBe(false);
    },
  );

  it('no module or template hard-codes a k3s version of its own', () => {
    const runnerFiles = ['main.tf', 'user-data.sh.tftpl'].map((file) =>
      readFileSync(path.join(mod('runner').dir, file), 'utf8'),
    );
    for (const text of runnerFiles) expect(text).not.toMatch(/v\d+\.\d+\.\d+\+k3s\d+/);
    expect(mod('runner').locals.pins).toContain('versions.json');
  });
});

describe('backends', () => {
  const backend = (name: 'runner' | 'orchestrator') =>
    mod(name).terraform.find((block) => block.backend)?.backend;

  it.each(['runner', 'orchestrator'] as const)(
    '%s uses the S3 backend with a DynamoDB table AND use_lockfile, encrypted',
    (name) => {
      const s3 = backend(name)?.s3?.[0];
      expect(Object.keys(backend(name))).toEqual(['s3']);
      expect(s3).toMatchObject({ use_lockfile: true, encrypt: true });
      expect(s3.dynamodb_table).toEqual(expect.any(String));
      // bucket and region are account-specific: supplied at init (partial configuration).
      expect(s3.bucket).toBeUndefined();
    },
  );

  it('bootstrap has no backend (it creates the backend)', () => {
    expect(mod('bootstrap').terraform.some((block) => block.backend)).toBe(false);
  });
});

describe('bootstrap: state bucket and lock table', () => {
  // The bucket itself (versioning, SSE-KMS, public access, TLS only) is the shared module:
  // test/terraform/hardened-bucket.test.ts.
  it('the state key rotates', () => {
    expect(resource(mod('bootstrap'), 'aws_kms_key', 'state').enable_key_rotation).toBe(true);
  });

  it('lock table: LockID key, encryption and point-in-time recovery', () => {
    const table = resource(mod('bootstrap'), 'aws_dynamodb_table', 'lock');
    expect(table.hash_key).toBe('LockID');
    expect(table.attribute[0]).toEqual({ name: 'LockID', type: 'S' });
    expect(table.server_side_encryption[0].enabled).toBe(true);
    expect(table.point_in_time_recovery[0].enabled).toBe(true);
  });

  it('outputs the backend settings', () => {
    expect(mod('bootstrap').outputs.backend_config?.value).toMatchObject({
      bucket: '${module.state_bucket.id}',
      region: '${var.region}',
      dynamodb_table: '${aws_dynamodb_table.lock.name}',
      use_lockfile: true,
      encrypt: true,
    });
  });
});

describe('runner: the k3s ARM instance', () => {
  const instance = () => resource(mod('runner'), 'aws_instance', 'runner');

  it('requires IMDSv2, encrypts the root volume, has no key pair and no public IP', () => {
    expect(instance().metadata_options[0]).toMatchObject({
      http_tokens: 'required',
      http_endpoint: 'enabled',
    });
    expect(instance().root_block_device[0]).toMatchObject({ encrypted: true, delete_on_termination: true });
    expect(instance().key_name).toBeUndefined();
    expect(instance().associate_public_ip_address).toBe(false);
  });

  it('takes the AMI from an SSM public parameter and never replaces the instance for a newer one', () => {
    expect(instance().ami).toBe('${data.aws_ssm_parameter.ami.insecure_value}');
    expect(mod('runner').data.aws_ssm_parameter?.ami?.name).toBe('${var.ami_ssm_parameter}');
    expect(mod('runner').variables.ami_ssm_parameter?.default).toMatch(/^\/aws\/service\/.*arm64$/);
    expect(instance().lifecycle[0].ignore_changes).toEqual(['${ami}']);
  });

  it('security group: no ingress at all, egress HTTPS only; no separate ingress rule resources', () => {
    const group = resource(mod('runner'), 'aws_security_group', 'runner');
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toHaveLength(1);
    expect(group.egress[0]).toMatchObject({ from_port: 443, to_port: 443, protocol: 'tcp' });
    for (const m of Object.values(modules)) {
      expect(m.resources.aws_vpc_security_group_ingress_rule).toBeUndefined();
      for (const rule of Object.values(m.resources.aws_security_group_rule ?? {}))
        expect(rule.type).not.toBe('ingress');
    }
    expect(instance().vpc_security_group_ids).toEqual(['${aws_security_group.runner.id}']);
  });

  // Tags, the injected variables, the dead-man switch and the (absent) IAM: test/terraform/runner.test.ts.

  it("user data installs the pinned k3s by checksum (no curl | sh), zstd and the runner scripts' tools", () => {
    const template = readFileSync(path.join(mod('runner').dir, 'user-data.sh.tftpl'), 'utf8');
    const commands = template.split('\n').filter((line) => !line.trim().startsWith('#'));
    expect(commands.filter((line) => /\|\s*(sudo\s+)?(ba|z|da)?sh\b/.test(line))).toEqual([]);
    expect(template).toContain('sha256sum --check --strict');
    expect(template).toMatch(/^dnf install -y zstd tar jq awscli-2$/m);
    // The sha256 check comes before the binary is installed or run.
    expect(template.indexOf('sha256sum --check')).toBeLessThan(template.indexOf('install -m 0755'));
    expect(String(instance().user_data)).toContain('local.pins.k3s.arm64_sha256');
  });

  it('validates the instance type as an arm64 t4g size, and ids and names by pattern', () => {
    const v = mod('runner').variables;
    const type = validationRegex(v.instance_type as Block);
    for (const ok of ['t4g.nano', 't4g.medium', 't4g.2xlarge']) expect(type.test(ok)).toBe(true);
    for (const bad of ['t3.medium', 'm7g.large', 't4g.4xlarge', 't4g.medium '])
      expect(type.test(bad)).toBe(false);
    const subnet = validationRegex(v.subnet_id as Block);
    expect(subnet.test('subnet-0123456789abcdef0')).toBe(true);
    expect(subnet.test('sg-0123456789abcdef0')).toBe(false);
    expect(validationRegex(v.execution_id as Block).test('drill-1')).toBe(true);
    expect(validationRegex(v.execution_id as Block).test('a/b')).toBe(false);
    expect(String(v.egress_cidr_blocks?.validation[0].condition)).toContain('cidrhost');
    expect(v.instance_type?.default).toMatch(type);
  });
});

describe('orchestrator: trigger safety, alarms, bridge', () => {
  it('enable_triggers is false by default and gates only the dispatch rule: every alarm always notifies SNS', () => {
    const m = mod('orchestrator');
    expect(m.variables.enable_triggers).toMatchObject({ type: '${bool}', default: false });
    expect(resource(m, 'aws_cloudwatch_event_rule', 'alarm').state).toBe(
      '${var.enable_triggers ? "ENABLED" : "DISABLED"}',
    );
    const alarms = Object.entries(m.resources.aws_cloudwatch_metric_alarm ?? {});
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    for (const [name, alarm] of alarms) {
      expect([name, alarm.actions_enabled ?? true]).toEqual([name, true]);
      expect([name, alarm.alarm_actions]).toEqual([name, ['${aws_sns_topic.notifications.arn}']]);
      expect(JSON.stringify(alarm)).not.toContain('enable_triggers');
    }
  });

  it('alarms watch the check-health metrics and treat missing data as breaching', () => {
    const m = mod('orchestrator');
    expect(resource(m, 'aws_cloudwatch_metric_alarm', 'freshness')).toMatchObject({
      metric_name: 'PipelineFreshnessHours',
      treat_missing_data: 'breaching',
      comparison_operator: 'GreaterThanThreshold',
    });
    expect(resource(m, 'aws_cloudwatch_metric_alarm', 'correctness')).toMatchObject({
      metric_name: 'PublishCorrectness',
      treat_missing_data: 'breaching',
      threshold: 1,
    });
  });

  it('the rule matches a change to ALARM of exactly these alarms and targets the state machine', () => {
    const m = mod('orchestrator');
    const pattern = String(resource(m, 'aws_cloudwatch_event_rule', 'alarm').event_pattern);
    expect(pattern).toContain('"CloudWatch Alarm State Change"');
    expect(pattern).toMatch(/state\s*=\s*\{\s*value\s*=\s*\["ALARM"\]/);
    // Every target's instance of the two alarms (for_each over the targets).
    expect(pattern).toContain('[for alarm in aws_cloudwatch_metric_alarm.freshness : alarm.arn]');
    expect(pattern).toContain('[for alarm in aws_cloudwatch_metric_alarm.correctness : alarm.arn]');
    expect(resource(m, 'aws_cloudwatch_event_target', 'bridge').arn).toBe(
      '${aws_sfn_state_machine.bridge.arn}',
    );
  });

  it('the token lives in the EventBridge connection; the state machine definition is its own templated file', () => {
    const m = mod('orchestrator');
    const connection = resource(m, 'aws_cloudwatch_event_connection', 'github');
    expect(connection.authorization_type).toBe('API_KEY');
    expect(connection.auth_parameters[0].api_key[0].key).toBe('Authorization');
    expect(m.variables.github_dispatch_token?.sensitive).toBe(true);
    expect(String(resource(m, 'aws_sfn_state_machine', 'bridge').definition)).toContain(
      'templatefile("${path.module}/state-machine.asl.json"',
    );
  });

  it('encrypts the notification topic with a rotating customer key', () => {
    const m = mod('orchestrator');
    expect(resource(m, 'aws_sns_topic', 'notifications').kms_master_key_id).toBe(
      '${aws_kms_key.notifications.arn}',
    );
    expect(resource(m, 'aws_kms_key', 'notifications').enable_key_rotation).toBe(true);
  });
  // The environments and the promotion gate: test/terraform/github.test.ts.
});

describe('GitHub OIDC roles', () => {
  it('one role per concern (detect, infra, operate, failback), each with its own policy', () => {
    const m = mod('orchestrator');
    expect(Object.keys(m.variables.role_environments?.default).sort()).toEqual([
      'detect',
      'failback',
      'infra',
      'operate',
    ]);
    expect(m.variables.role_environments?.default.failback).toBe('dr-promotion');
    expect(resource(m, 'aws_iam_role', 'github').for_each).toBe('${var.role_environments}');
    for (const concern of ['detect', 'infra', 'operate', 'failback']) {
      expect(resource(m, 'aws_iam_role_policy', concern).role).toBe(
        `\${aws_iam_role.github["${concern}"].id}`,
      );
    }
  });

  it('trust: audience, both subject forms, repository id, environment, and the protected ref and workflow file', () => {
    const trust = mod('orchestrator').data.aws_iam_policy_document?.trust as Block;
    const statement = trust.statement[0];
    expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(statement.principals[0]).toEqual({
      type: 'Federated',
      identifiers: ['${local.oidc_provider_arn}'],
    });
    const conditions = Object.fromEntries(
      statement.condition.map((c: Block) => [c.variable.replace('${local.oidc_host}:', ''), c]),
    );
    expect(Object.keys(conditions).sort()).toEqual(
      ['aud', 'environment', 'job_workflow_ref', 'ref', 'repository_id', 'sub'].sort(),
    );
    expect(conditions.aud).toMatchObject({ test: 'StringEquals', values: ['sts.amazonaws.com'] });
    expect(conditions.repository_id).toMatchObject({
      test: 'StringEquals',
      values: ['${var.github_repository_id}'],
    });
    expect(conditions.environment).toMatchObject({ test: 'StringEquals', values: ['${each.value}'] });
    expect(conditions.sub).toMatchObject({
      test: 'StringEquals',
      values: [
        'repo:${local.repo_full}:environment:${each.value}',
        'repo:${local.repo_immutable}:environment:${each.value}',
      ],
    });
    expect(conditions.ref).toMatchObject({ test: 'StringEquals', values: ['${local.protected_ref}'] });
    // The only wildcard: the workflow file name, within this repository and on the protected branch.
    expect(conditions.job_workflow_ref.test).toBe('StringLike');
    // Claim-by-claim behaviour against real token shapes: test/terraform/trust.test.ts.
  });

  it('infra may create and change EC2 resources only when they carry the runner tags', () => {
    const m = mod('orchestrator');
    expect(m.locals.runner_request_tags).toEqual({
      'aws:RequestTag/Purpose': 'standby-dr',
      'aws:RequestTag/ManagedBy': 'standby',
    });
    expect(m.locals.runner_resource_tags).toEqual({
      'ec2:ResourceTag/Purpose': 'standby-dr',
      'ec2:ResourceTag/ManagedBy': 'standby',
    });
    const doc = m.data.aws_iam_policy_document?.infra as Block;
    const bySid = Object.fromEntries((doc.statement as Block[]).map((s) => [s.sid, s]));
    const tagGate = (sid: string) => bySid[sid]?.dynamic?.condition?.[0]?.for_each;
    expect(tagGate('RunOnlyTaggedRunners')).toBe('${local.runner_request_tags}');
    expect(bySid.RunOnlyTaggedRunners?.resources).toEqual([
      '${local.ec2_arn}:instance/*',
      '${local.ec2_arn}:volume/*',
    ]);
    expect(tagGate('CreateTaggedSecurityGroup')).toBe('${local.runner_request_tags}');
    expect(tagGate('ManageTaggedRunnerResources')).toBe('${local.runner_resource_tags}');
    expect(bySid.ManageTaggedRunnerResources?.actions).toContain('ec2:TerminateInstances');
    expect(bySid.TagOnlyWhileCreating?.condition[0].variable).toBe('ec2:CreateAction');
    expect(bySid.PassRunnerRoleToEc2?.condition[0]).toMatchObject({
      variable: 'iam:PassedToService',
      values: ['ec2.amazonaws.com'],
    });
    // Every other mutating EC2 action sits in one of those gated statements.
    const ungated = (doc.statement as Block[]).filter(
      (s) =>
        !s.dynamic &&
        !s.condition &&
        (s.actions as string[]).some((a) => a.startsWith('ec2:') && !a.startsWith('ec2:Describe')),
    );
    expect(ungated.map((s) => s.sid).sort()).toEqual(['CreateSecurityGroupInVpc', 'RunFromImageAndSubnet']);
  });

  it('SendCommand reaches only standby-tagged runners', () => {
    const operate = mod('orchestrator').data.aws_iam_policy_document?.operate as Block;
    const send = (operate.statement as Block[]).find((s) => s.sid === 'SendCommandToTaggedRunner') as Block;
    expect(send.dynamic.condition[0].for_each).toBe('${local.ssm_runner_tags}');
    expect(mod('orchestrator').locals.ssm_runner_tags).toEqual({
      'ssm:resourceTag/Purpose': ['standby-dr'],
      'ssm:resourceTag/ManagedBy': ['standby'],
    });
    expect(send.condition).toEqual([
      { test: 'StringLike', variable: 'ssm:resourceTag/Name', values: ['standby-*'] },
    ]);
  });
});

describe('IAM: no "*" resource on a mutating action', () => {
  // Actions AWS grants only on "*": allowed when a condition scopes them, and listed here on purpose.
  const STAR_ONLY_WITH_CONDITION: Record<string, string> = {
    'cloudwatch:PutMetricData': 'cloudwatch:namespace',
    // No resource-level permissions (Service Authorization Reference): scoped to the region instead.
    'ssm:CancelCommand': 'aws:RequestedRegion',
  };

  it.each(MODULE_NAMES)(
    '%s: every identity policy statement that can change something names its resources',
    (name) => {
      const offenders: string[] = [];
      for (const [docName, doc] of Object.entries(mod(name).data.aws_iam_policy_document ?? {})) {
        for (const statement of policyStatements(doc)) {
          if (statement.principals || statement.effect === 'Deny') continue; // trust and resource policies, guard rails
          const mutating = (statement.actions as string[]).filter((action) => !isReadOnly(action));
          if (
            mutating.length === 0 ||
            // A whole-list expression (var.ecr_repository_arns) is validated to hold no wildcard.
            ![statement.resources].flat().some((r) => r === '*' || r === 'arn:aws:*:*:*')
          )
            continue;
          const allowed = mutating.every((action) =>
            (statement.condition ?? []).some((c: Block) => c.variable === STAR_ONLY_WITH_CONDITION[action]),
          );
          if (!allowed) offenders.push(`${docName}/${statement.sid ?? '?'}: ${mutating.join(', ')}`);
        }
      }
      expect(offenders).toEqual([]);
    },
  );

  it('no policy uses a wildcard action on a service', () => {
    for (const m of Object.values(modules)) {
      for (const doc of Object.values(m.data.aws_iam_policy_document ?? {})) {
        for (const statement of policyStatements(doc)) {
          if (statement.effect === 'Deny') continue;
          for (const action of statement.actions as string[])
            expect(action).not.toMatch(/^[a-z0-9-]+:\*$|^\*$/);
        }
      }
    }
  });

  it('the classifier itself tells reads from writes', () => {
    expect(isReadOnly('ec2:DescribeInstances')).toBe(true);
    expect(isReadOnly('s3:GetObject')).toBe(true);
    expect(isReadOnly('ec2:RunInstances')).toBe(false);
    expect(isReadOnly('iam:PassRole')).toBe(false);
    expect(isReadOnly('kms:Decrypt')).toBe(false);
  });
});

/** Statements of an aws_iam_policy_document, including dynamic ones. */
function policyStatements(doc: Block): Block[] {
  const dynamic = (doc.dynamic?.statement ?? []).flatMap((d: Block) => d.content ?? []);
  return [...(doc.statement ?? []), ...dynamic];
}

function isReadOnly(action: string): boolean {
  const verb = action.split(':')[1] ?? '';
  return /^(Get|List|Describe|Head|BatchGet|Retrieve|Lookup|Search)/.test(verb);
}

/** Enough of Terraform's version constraints for ">= a.b.c, < x.y.z" style floors and ceilings. */
function satisfies(version: string, constraint: string): boolean {
  const parts = (v: string) => v.split('.').map(Number);
  const compare = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  return constraint.split(',').every((clause) => {
    const match = /^\s*(>=|<=|>|<|=|!=)?\s*([\d.]+)\s*$/.exec(clause);
    if (!match) throw new Error(`unsupported constraint '${clause}'`);
    const c = compare(version, match[2] as string);
    return { '>=': c >= 0, '<=': c <= 0, '>': c > 0, '<': c < 0, '=': c === 0, '!=': c !== 0 }[
      match[1] ?? '='
    ] as boolean;
  });
}

describe('docs/terraform.md', () => {
  it.each(ALL_MODULE_NAMES)('documents every variable of %s', (name) => {
    const docs = readFileSync(path.resolve('docs/terraform.md'), 'utf8');
    const section = docs.slice(docs.indexOf(`### ${name}`));
    const missing = Object.keys(mod(name).variables).filter(
      (variable) => !section.includes(`| \`${variable}\` |`),
    );
    expect(missing).toEqual([]);
  });
});
