// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { PolicyJson } from './hcl-eval.js';
import { allowed, type RequestContext } from './iam-eval.js';
import {
  ACCOUNT,
  EKS_DEPLOYMENT,
  KNOWN,
  type Orchestrator,
  orchestrator,
  REGION,
} from './orchestrator-fixture.js';

// What each role may and may not do, asked of the policies actually attached to it in
// terraform/orchestrator (rendered with the sample deployment), by the IAM evaluator in iam-eval.ts.

const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;
const iam = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const RUNNER_ROLE = KNOWN['aws_iam_role.runner.arn'] as string;
/** The per-runner role the runner module used to create (before issue 10), which infra could rewrite. */
const OLD_RUNNER_ROLE = iam('role/standby/standby-dr-runner-role');
const STATE = 'arn:aws:s3:::acme-standby-tfstate';
const LOCK_TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/standby-terraform-locks`;
const RUNNER_TAGS = { 'ec2:ResourceTag/Purpose': 'standby-dr', 'ec2:ResourceTag/ManagedBy': 'standby' };
const SSM_RUNNER_TAGS = {
  'ssm:resourceTag/Purpose': 'standby-dr',
  'ssm:resourceTag/ManagedBy': 'standby',
  'ssm:resourceTag/Name': 'standby-drill-1234',
};

let o: Orchestrator;
let roles: Record<'detect' | 'infra' | 'operate' | 'failback' | 'runner' | 'bridge', PolicyJson[]>;
beforeAll(async () => {
  o = await orchestrator({
    backup_kms_key_arn: key('b'),
    publish_kms_key_arn: key('p', 'us-east-1'),
    ecr_repository_arns: [ECR_REPO],
  });
  roles = {
    detect: o.rolePolicies('aws_iam_role.github["detect"]'),
    infra: o.rolePolicies('aws_iam_role.github["infra"]'),
    operate: o.rolePolicies('aws_iam_role.github["operate"]'),
    failback: o.rolePolicies('aws_iam_role.github["failback"]'),
    runner: o.rolePolicies('aws_iam_role.runner'),
    bridge: o.rolePolicies('aws_iam_role.bridge'),
  };
});

function key(letter: string, region = REGION) {
  return `arn:aws:kms:${region}:${ACCOUNT}:key/${letter.repeat(8)}-1111-2222-3333-444444444444`;
}
const ECR_REPO = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme/batch`;

const can = (role: keyof typeof roles, request: RequestContext) => allowed(roles[role], request);

describe('infra role: Terraform for the runner, and the sweeper, without any way to rewrite a role', () => {
  const runInstance = (tags: Record<string, string>) =>
    can('infra', { action: 'ec2:RunInstances', resource: ec2('instance/*'), context: tags });
  const requestTags = {
    'aws:RequestTag/Purpose': 'standby-dr',
    'aws:RequestTag/ManagedBy': 'standby',
    'aws:RequestTag/standby-expires-at': '2026-11-28T10:00:00Z',
  };

  it('launches only runners that carry the shared tags and an expiry', () => {
    expect(runInstance(requestTags)).toBe(true);
    const { 'aws:RequestTag/standby-expires-at': _, ...noExpiry } = requestTags;
    expect(runInstance(noExpiry)).toBe(false);
    expect(runInstance({ ...requestTags, 'aws:RequestTag/Purpose': 'other' })).toBe(false);
  });

  it('passes the runner role to EC2, and only that role, only to EC2', () => {
    const pass = (resource: string, service: string) =>
      can('infra', { action: 'iam:PassRole', resource, context: { 'iam:PassedToService': service } });
    expect(pass(RUNNER_ROLE, 'ec2.amazonaws.com')).toBe(true);
    expect(pass(RUNNER_ROLE, 'lambda.amazonaws.com')).toBe(false);
    expect(pass(iam('role/standby/standby-infra'), 'ec2.amazonaws.com')).toBe(false);
    expect(pass(iam('role/admin'), 'ec2.amazonaws.com')).toBe(false);
  });

  // Each of these on a role infra can pass to EC2 turns "launch an instance" into "act as any policy".
  const ESCALATIONS = [
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:DetachRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
    'iam:CreateRole',
    'iam:DeleteRole',
    'iam:UpdateRole',
    'iam:TagRole',
  ];
  it.each(ESCALATIONS)('cannot %s on any role it can pass (negative test per escalation path)', (action) => {
    const passable = [RUNNER_ROLE, OLD_RUNNER_ROLE].filter((role) =>
      can('infra', {
        action: 'iam:PassRole',
        resource: role,
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      }),
    );
    expect(passable.length).toBeGreaterThan(0);
    for (const role of [...passable, iam('role/standby/*'), iam('role/*')])
      expect([
        action,
        role,
        can('infra', {
          action,
          resource: role,
          context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
        }),
      ]).toEqual([action, role, false]);
  });

  it.each([
    'iam:CreateInstanceProfile',
    'iam:AddRoleToInstanceProfile',
    'iam:RemoveRoleFromInstanceProfile',
    'iam:DeleteInstanceProfile',
  ])('cannot %s (the orchestrator owns the runner profile)', (action) => {
    for (const profile of [
      iam('instance-profile/standby/standby-runner'),
      iam('instance-profile/standby/standby-dr-runner-profile'),
    ])
      expect(can('infra', { action, resource: profile })).toBe(false);
  });

  it('cannot create policy versions or swap an instance profile on a running instance', () => {
    expect(can('infra', { action: 'iam:CreatePolicyVersion', resource: iam('policy/anything') })).toBe(false);
    for (const action of ['ec2:AssociateIamInstanceProfile', 'ec2:ReplaceIamInstanceProfileAssociation'])
      expect(
        can('infra', { action, resource: ec2('instance/i-0123456789abcdef0'), context: RUNNER_TAGS }),
      ).toBe(false);
  });

  it('its only IAM actions are PassRole and reading instance profiles', () => {
    const iamActions = roles.infra
      .flatMap((p) => p.Statement)
      .flatMap((s) => s.Action ?? [])
      .filter((a) => a.startsWith('iam:'));
    expect([...new Set(iamActions)].sort()).toEqual([
      'iam:GetInstanceProfile',
      'iam:ListInstanceProfiles',
      'iam:PassRole',
    ]);
  });

  it('reads the orchestrator-made runner profile (the runner module looks it up at plan time)', () => {
    expect(
      can('infra', {
        action: 'iam:GetInstanceProfile',
        resource: iam('instance-profile/standby/standby-runner'),
      }),
    ).toBe(true);
  });

  it('state: runner state objects and lock files under the prefix, nothing else (the orchestrator state holds the dispatch token)', () => {
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      expect(can('infra', { action, resource: `${STATE}/standby/runners/drill-42.tfstate` })).toBe(true);
      expect(can('infra', { action, resource: `${STATE}/standby/runners/drill-42.tfstate.tflock` })).toBe(
        true,
      );
      expect(can('infra', { action, resource: `${STATE}/standby/orchestrator.tfstate` })).toBe(false);
      expect(can('infra', { action, resource: `${STATE}/standby/runners.tfstate` })).toBe(false);
    }
    expect(
      can('infra', {
        action: 's3:ListBucket',
        resource: STATE,
        context: { 's3:prefix': 'standby/runners/' },
      }),
    ).toBe(true);
    expect(
      can('infra', { action: 's3:ListBucket', resource: STATE, context: { 's3:prefix': 'standby/' } }),
    ).toBe(false);
  });

  it("lock table: only the runner states' lock items (and their -md5 digests)", () => {
    const item = (action: string, keys?: string[]) =>
      can('infra', { action, resource: LOCK_TABLE, context: keys ? { 'dynamodb:LeadingKeys': keys } : {} });
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']) {
      expect(item(action, ['acme-standby-tfstate/standby/runners/drill-42.tfstate'])).toBe(true);
      expect(item(action, ['acme-standby-tfstate/standby/runners/drill-42.tfstate-md5'])).toBe(true);
      expect(item(action, ['acme-standby-tfstate/standby/orchestrator.tfstate'])).toBe(false);
      expect(item(action)).toBe(false); // ForAllValues alone would accept a request without keys
    }
    expect(can('infra', { action: 'dynamodb:DescribeTable', resource: LOCK_TABLE })).toBe(true);
  });

  it('the sweeper: finds, terminates and cleans up standby-tagged runners only', () => {
    expect(can('infra', { action: 'ec2:DescribeInstances', resource: '*' })).toBe(true);
    for (const [action, resource] of [
      ['ec2:TerminateInstances', ec2('instance/i-0123456789abcdef0')],
      ['ec2:DeleteSecurityGroup', ec2('security-group/sg-0123456789abcdef0')],
    ] as const) {
      expect(can('infra', { action, resource, context: RUNNER_TAGS })).toBe(true);
      expect(can('infra', { action, resource, context: { 'ec2:ResourceTag/Purpose': 'prod' } })).toBe(false);
      expect(can('infra', { action, resource })).toBe(false);
    }
  });
});

describe('operate role: the runner through SSM, its expiry tag', () => {
  it('sends commands only to standby-tagged runners, with AWS-RunShellScript only', () => {
    const send = (resource: string, context: Record<string, string> = {}) =>
      can('operate', { action: 'ssm:SendCommand', resource, context });
    expect(send(ec2('instance/i-0123456789abcdef0'), SSM_RUNNER_TAGS)).toBe(true);
    expect(
      send(ec2('instance/i-0123456789abcdef0'), { ...SSM_RUNNER_TAGS, 'ssm:resourceTag/Name': 'db-primary' }),
    ).toBe(false);
    expect(send(ec2('instance/i-0123456789abcdef0'))).toBe(false);
    expect(send(`arn:aws:ssm:${REGION}::document/AWS-RunShellScript`)).toBe(true);
    expect(send(`arn:aws:ssm:${REGION}::document/AWS-RunPowerShellScript`)).toBe(false);
  });

  it('cancels commands (CancelCommand has no resource-level permissions: "*" in its own region only)', () => {
    const cancel = (region: string) =>
      can('operate', {
        action: 'ssm:CancelCommand',
        resource: '*',
        context: { 'aws:RequestedRegion': region },
      });
    expect(cancel(REGION)).toBe(true);
    expect(cancel('us-west-2')).toBe(false);
  });

  it('extends a runner expiry: CreateTags with the standby-expires-at key only, on standby-tagged instances only', () => {
    const tag = (keys: string[] | undefined, resourceTags: Record<string, string> = RUNNER_TAGS) =>
      can('operate', {
        action: 'ec2:CreateTags',
        resource: ec2('instance/i-0123456789abcdef0'),
        context: { ...resourceTags, ...(keys ? { 'aws:TagKeys': keys } : {}) },
      });
    expect(tag(['standby-expires-at'])).toBe(true);
    expect(tag(['standby-expires-at', 'Purpose'])).toBe(false);
    expect(tag(['standby-kind'])).toBe(false);
    expect(tag(['Name'])).toBe(false);
    expect(tag(undefined)).toBe(false);
    expect(tag(['standby-expires-at'], { 'ec2:ResourceTag/Purpose': 'prod' })).toBe(false);
    expect(
      can('operate', {
        action: 'ec2:DeleteTags',
        resource: ec2('instance/i-0123456789abcdef0'),
        context: RUNNER_TAGS,
      }),
    ).toBe(false);
    expect(
      can('operate', {
        action: 'ec2:TerminateInstances',
        resource: ec2('instance/i-0123456789abcdef0'),
        context: RUNNER_TAGS,
      }),
    ).toBe(false);
  });

  it('marks a standby serving (issue 20.2): standby-serving=true only, its expiry removed only, standby instances only', () => {
    const act = (
      action: string,
      keys: string[] | undefined,
      extra: Record<string, string> = {},
      resourceTags: Record<string, string> = RUNNER_TAGS,
    ) =>
      can('operate', {
        action,
        resource: ec2('instance/i-0123456789abcdef0'),
        context: { ...resourceTags, ...extra, ...(keys ? { 'aws:TagKeys': keys } : {}) },
      });
    const serving = { 'aws:RequestTag/standby-serving': 'true' };
    expect(act('ec2:CreateTags', ['standby-serving'], serving)).toBe(true);
    // Never un-marks one (the sweeper would then be free to destroy it), never another key with it.
    expect(act('ec2:CreateTags', ['standby-serving'], { 'aws:RequestTag/standby-serving': 'false' })).toBe(
      false,
    );
    expect(act('ec2:CreateTags', ['standby-serving', 'standby-kind'], serving)).toBe(false);
    expect(act('ec2:CreateTags', ['standby-serving'], serving, { 'ec2:ResourceTag/Purpose': 'prod' })).toBe(
      false,
    );
    // Removes the expiry key and nothing else; DeleteTags without keys (every tag) is refused.
    expect(act('ec2:DeleteTags', ['standby-expires-at'])).toBe(true);
    expect(act('ec2:DeleteTags', ['standby-serving'])).toBe(false);
    expect(act('ec2:DeleteTags', ['standby-expires-at', 'Purpose'])).toBe(false);
    expect(act('ec2:DeleteTags', undefined)).toBe(false);
    expect(act('ec2:DeleteTags', ['standby-expires-at'], {}, { 'ec2:ResourceTag/Purpose': 'prod' })).toBe(
      false,
    );
  });

  it('reads no backup: restore-precheck moved to the infra job, and the runner reads with its own role', () => {
    for (const action of ['s3:GetObject', 's3:PutObject'])
      expect(
        can('operate', { action, resource: 'arn:aws:s3:::acme-backups-dr/prod/backups/b1/state.tar.zst' }),
      ).toBe(false);
    expect(
      can('operate', {
        action: 'kms:Decrypt',
        resource: key('b'),
        context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
      }),
    ).toBe(false);
  });
});

describe('infra role: restore-precheck runs in its job, so it reads the backups (and nothing more of them)', () => {
  const backups = 'arn:aws:s3:::acme-backups-dr/prod/backups';

  it('lists the backups prefix and reads any backup object; writes and deletes none', () => {
    expect(can('infra', { action: 's3:GetObject', resource: `${backups}/b1/state.tar.zst` })).toBe(true);
    expect(can('infra', { action: 's3:GetObject', resource: `${backups}/b1/metadata.json` })).toBe(true);
    expect(
      can('infra', {
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::acme-backups-dr',
        context: { 's3:prefix': 'prod/backups/' },
      }),
    ).toBe(true);
    for (const action of ['s3:PutObject', 's3:DeleteObject'])
      expect(can('infra', { action, resource: `${backups}/b1/state.tar.zst` })).toBe(false);
  });

  it('reads nothing else of the backup bucket (control-plane bundles, other prefixes)', () => {
    expect(
      can('infra', {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::acme-backups-dr/prod/control-plane/current.json',
      }),
    ).toBe(false);
    expect(can('infra', { action: 's3:GetObject', resource: 'arn:aws:s3:::acme-backups-dr/other/x' })).toBe(
      false,
    );
    expect(
      can('infra', {
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::acme-backups-dr',
        context: { 's3:prefix': 'prod/control-plane/' },
      }),
    ).toBe(false);
  });

  it('decrypts with the backup key through S3 in the DR region only', () => {
    const decrypt = (via?: string) =>
      can('infra', {
        action: 'kms:Decrypt',
        resource: key('b'),
        context: via ? { 'kms:ViaService': via } : {},
      });
    expect(decrypt(`s3.${REGION}.amazonaws.com`)).toBe(true);
    expect(decrypt()).toBe(false);
    expect(decrypt('s3.us-east-1.amazonaws.com')).toBe(false);
  });
});

describe('customer-managed keys of the publish and backup buckets', () => {
  const viaS3 = (region: string) => ({ 'kms:ViaService': `s3.${region}.amazonaws.com` });

  it('detect decrypts publish objects in the primary region and backup metadata in the DR region', () => {
    expect(
      can('detect', { action: 'kms:Decrypt', resource: key('p', 'us-east-1'), context: viaS3('us-east-1') }),
    ).toBe(true);
    expect(can('detect', { action: 'kms:Decrypt', resource: key('b'), context: viaS3(REGION) })).toBe(true);
    expect(
      can('detect', {
        action: 'kms:GenerateDataKey',
        resource: key('p', 'us-east-1'),
        context: viaS3('us-east-1'),
      }),
    ).toBe(false);
  });

  it('failback reads and writes publish pointers, so it may also generate data keys with the publish key', () => {
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey'])
      expect(can('failback', { action, resource: key('p', 'us-east-1'), context: viaS3('us-east-1') })).toBe(
        true,
      );
    expect(can('failback', { action: 'kms:Decrypt', resource: key('b'), context: viaS3(REGION) })).toBe(
      false,
    );
  });

  it('without key ARNs there is no kms statement for them at all', async () => {
    const plain = await orchestrator();
    const kmsResources = ['detect', 'failback', 'operate']
      .flatMap((r) => plain.rolePolicies(`aws_iam_role.github["${r}"]`))
      .concat(plain.rolePolicies('aws_iam_role.runner'))
      .flatMap((p) => p.Statement)
      .filter((s) => (s.Action ?? []).some((a) => a.startsWith('kms:')))
      .flatMap((s) => s.Resource ?? []);
    expect([...new Set(kmsResources)].sort()).toEqual(
      [KNOWN['aws_kms_key.notifications.arn'], KNOWN['aws_kms_key.receipts.arn']].sort(),
    );
  });
});

describe('runner role (the instance profile)', () => {
  it('reads backups and control-plane bundles, writes nothing', () => {
    expect(
      can('runner', {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::acme-backups-dr/prod/control-plane/current.json',
      }),
    ).toBe(true);
    expect(can('runner', { action: 's3:GetObject', resource: 'arn:aws:s3:::acme-backups-dr/other/x' })).toBe(
      false,
    );
    const writes = roles.runner
      .flatMap((p) => p.Statement)
      .flatMap((s) => s.Action ?? [])
      .filter((a) => /^s3:(Put|Delete)/.test(a));
    expect(writes).toEqual([]);
  });

  it('pulls images from the listed ECR repositories only', () => {
    expect(can('runner', { action: 'ecr:GetAuthorizationToken', resource: '*' })).toBe(true);
    for (const action of [
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:BatchCheckLayerAvailability',
    ]) {
      expect(can('runner', { action, resource: ECR_REPO })).toBe(true);
      expect(can('runner', { action, resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/other` })).toBe(
        false,
      );
    }
    expect(can('runner', { action: 'ecr:PutImage', resource: ECR_REPO })).toBe(false);
  });

  it('has no ECR access at all when no repository is listed', async () => {
    const plain = await orchestrator();
    const runner = plain.rolePolicies('aws_iam_role.runner');
    expect(allowed(runner, { action: 'ecr:GetAuthorizationToken', resource: '*' })).toBe(false);
  });

  it('decrypts backups with the backup key through S3', () => {
    expect(
      can('runner', {
        action: 'kms:Decrypt',
        resource: key('b'),
        context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
      }),
    ).toBe(true);
  });
});

describe('receipts: every role writes and reads receipts, through the receipt key', () => {
  it.each(['detect', 'infra', 'operate', 'failback'] as const)('%s', (role) => {
    expect(
      can(role, {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::acme-standby-receipts/standby/receipts/drill-1/bringup.json',
      }),
    ).toBe(true);
    expect(
      can(role, { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-standby-receipts/elsewhere/x' }),
    ).toBe(false);
    const receiptKey = KNOWN['aws_kms_key.receipts.arn'] as string;
    expect(
      can(role, {
        action: 'kms:GenerateDataKey',
        resource: receiptKey,
        context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
      }),
    ).toBe(true);
    expect(can(role, { action: 'kms:GenerateDataKey', resource: receiptKey })).toBe(false);
  });
});

describe('the dispatch token (EventBridge connection secret)', () => {
  const SECRET = KNOWN['aws_cloudwatch_event_connection.github.secret_arn'] as string;
  const OTHERS = [
    `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-password-AbCdEf`,
    `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:events!connection/other-connection/1234-XyZ123`,
    `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:events!connection/standby-github-dispatch/5f0a2b1c-AbCdEf`,
  ];

  it('the bridge reads its own connection secret and no other secret', () => {
    expect(can('bridge', { action: 'secretsmanager:GetSecretValue', resource: SECRET })).toBe(true);
    for (const other of OTHERS)
      expect([other, can('bridge', { action: 'secretsmanager:GetSecretValue', resource: other })]).toEqual([
        other,
        false,
      ]);
    const secretStatements = roles.bridge
      .flatMap((p) => p.Statement)
      .filter((s) => (s.Action ?? []).some((a) => a.startsWith('secretsmanager:')));
    expect(secretStatements.flatMap((s) => s.Resource)).toEqual([SECRET]);
  });

  it('no GitHub role and not the runner can read it', () => {
    for (const role of ['detect', 'infra', 'operate', 'failback', 'runner'] as const)
      expect([role, can(role, { action: 'secretsmanager:GetSecretValue', resource: SECRET })]).toEqual([
        role,
        false,
      ]);
  });
});

describe('the EKS target (eks_cluster_name): a node group per execution in one cluster, nothing more', () => {
  const CLUSTER = 'prod';
  const eks = (resource: string) => `arn:aws:eks:${REGION}:${ACCOUNT}:${resource}`;
  const CLUSTER_ARN = eks(`cluster/${CLUSTER}`);
  const OTHER_CLUSTER_ARN = eks('cluster/payments');
  const NODE_GROUP = eks(`nodegroup/${CLUSTER}/standby-drill-7/8ac5d7e0-1111-2222-3333-444455556666`);
  const NODE_ROLE = iam('role/standby/standby-eks-node');
  const REQUEST_TAGS = { 'aws:RequestTag/Purpose': 'standby-dr', 'aws:RequestTag/ManagedBy': 'standby' };
  const RESOURCE_TAGS = { 'aws:ResourceTag/Purpose': 'standby-dr', 'aws:ResourceTag/ManagedBy': 'standby' };
  let withEks: Record<'infra' | 'runner' | 'detect' | 'operate' | 'failback', PolicyJson[]>;
  beforeAll(async () => {
    const o = await orchestrator(EKS_DEPLOYMENT);
    withEks = {
      infra: o.rolePolicies('aws_iam_role.github["infra"]'),
      runner: o.rolePolicies('aws_iam_role.runner'),
      detect: o.rolePolicies('aws_iam_role.github["detect"]'),
      operate: o.rolePolicies('aws_iam_role.github["operate"]'),
      failback: o.rolePolicies('aws_iam_role.github["failback"]'),
    };
  });
  const may = (role: keyof typeof withEks, request: RequestContext) => allowed(withEks[role], request);

  it('infra creates a node group only in that cluster, and only with the runner tags', () => {
    const create = (resource: string, context: Record<string, string>) =>
      may('infra', { action: 'eks:CreateNodegroup', resource, context });
    expect(create(CLUSTER_ARN, REQUEST_TAGS)).toBe(true);
    expect(create(CLUSTER_ARN, {})).toBe(false);
    expect(create(CLUSTER_ARN, { ...REQUEST_TAGS, 'aws:RequestTag/ManagedBy': 'someone-else' })).toBe(false);
    expect(create(OTHER_CLUSTER_ARN, REQUEST_TAGS)).toBe(false);
    expect(create(eks(`cluster/${CLUSTER}`).replace(REGION, 'us-east-1'), REQUEST_TAGS)).toBe(false);
  });

  it('infra reads, tags and deletes only standby-tagged node groups named standby-* of that cluster', () => {
    for (const action of ['eks:DescribeNodegroup', 'eks:DeleteNodegroup', 'eks:UntagResource'])
      expect([action, may('infra', { action, resource: NODE_GROUP, context: RESOURCE_TAGS })]).toEqual([
        action,
        true,
      ]);
    const others = [
      eks(`nodegroup/${CLUSTER}/app-workers/8ac5d7e0-1111-2222-3333-444455556666`),
      eks('nodegroup/payments/standby-drill-7/8ac5d7e0-1111-2222-3333-444455556666'),
    ];
    for (const resource of others)
      expect([
        resource,
        may('infra', { action: 'eks:DeleteNodegroup', resource, context: RESOURCE_TAGS }),
      ]).toEqual([resource, false]);
    // A standby-* name is not enough: the tags are what make it the runner's.
    expect(may('infra', { action: 'eks:DeleteNodegroup', resource: NODE_GROUP })).toBe(false);
    expect(
      may('infra', { action: 'eks:UpdateNodegroupConfig', resource: NODE_GROUP, context: RESOURCE_TAGS }),
    ).toBe(false);
  });

  it('infra can neither change nor delete the cluster, nor grant anyone Kubernetes access', () => {
    for (const action of [
      'eks:DeleteCluster',
      'eks:UpdateClusterConfig',
      'eks:UpdateClusterVersion',
      'eks:CreateAccessEntry',
      'eks:DeleteAccessEntry',
      'eks:UpdateAccessEntry',
      'eks:AssociateAccessPolicy',
      'eks:DisassociateAccessPolicy',
      'eks:CreateFargateProfile',
      'eks:CreateAddon',
    ])
      for (const resource of [
        CLUSTER_ARN,
        eks(`access-entry/${CLUSTER}/role/${ACCOUNT}/standby-runner/1234`),
      ])
        expect([action, resource, may('infra', { action, resource, context: RESOURCE_TAGS })]).toEqual([
          action,
          resource,
          false,
        ]);
    expect(may('infra', { action: 'eks:DescribeCluster', resource: CLUSTER_ARN })).toBe(true);
    expect(may('infra', { action: 'eks:DescribeCluster', resource: OTHER_CLUSTER_ARN })).toBe(false);
    expect(
      may('infra', {
        action: 'eks:DescribeAccessEntry',
        resource: eks(`access-entry/${CLUSTER}/role/${ACCOUNT}/standby-runner/1234`),
      }),
    ).toBe(true);
  });

  it('infra passes the node role to EKS only, and the runner role still only to EC2', () => {
    const pass = (resource: string, service: string) =>
      may('infra', { action: 'iam:PassRole', resource, context: { 'iam:PassedToService': service } });
    expect(pass(NODE_ROLE, 'eks.amazonaws.com')).toBe(true);
    expect(pass(NODE_ROLE, 'ec2.amazonaws.com')).toBe(false);
    expect(pass(RUNNER_ROLE, 'eks.amazonaws.com')).toBe(false);
    expect(pass(RUNNER_ROLE, 'ec2.amazonaws.com')).toBe(true);
    expect(pass(iam('role/standby/other-node-role'), 'eks.amazonaws.com')).toBe(false);
  });

  it('the runner role reads that cluster (update-kubeconfig) and nothing else of EKS', () => {
    expect(may('runner', { action: 'eks:DescribeCluster', resource: CLUSTER_ARN })).toBe(true);
    expect(may('runner', { action: 'eks:DescribeCluster', resource: OTHER_CLUSTER_ARN })).toBe(false);
    const eksActions = withEks.runner
      .flatMap((p) => p.Statement)
      .flatMap((s) => s.Action ?? [])
      .filter((a) => a.startsWith('eks:'));
    expect(eksActions).toEqual(['eks:DescribeCluster']);
  });

  it('no other role has any EKS action, and without eks_cluster_name no role has one at all', () => {
    for (const role of ['detect', 'operate', 'failback'] as const)
      expect([
        role,
        withEks[role]
          .flatMap((p) => p.Statement)
          .flatMap((s) => s.Action ?? [])
          .filter((a) => a.startsWith('eks:')),
      ]).toEqual([role, []]);
    for (const role of Object.keys(roles) as (keyof typeof roles)[]) {
      const statements = roles[role].flatMap((p) => p.Statement);
      expect([role, statements.flatMap((s) => s.Action ?? []).filter((a) => a.startsWith('eks:'))]).toEqual([
        role,
        [],
      ]);
      expect([
        role,
        can(role, {
          action: 'iam:PassRole',
          resource: NODE_ROLE,
          context: { 'iam:PassedToService': 'eks.amazonaws.com' },
        }),
      ]).toEqual([role, false]);
    }
  });
});
