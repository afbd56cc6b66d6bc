// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import { resource } from '../helpers/terraform-modules.js';
import { evaluate, type PolicyJson, validationErrors } from './hcl-eval.js';
import { allowed } from './iam-eval.js';
import { ACCOUNT, KNOWN, type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// Issue 23.5: the backup signing key (terraform/orchestrator/backup-signing.tf). Its key policy is asked,
// with the IAM evaluator, who may Sign, Verify and read the public key.

const PRODUCER = 'arn:aws:iam::444455556666:role/batch-backup';
const INFRA = KNOWN['aws_iam_role.github.infra.arn'] as string;
const KEY = KNOWN['aws_kms_key.backup_signing[0].arn'] as string;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const OTHER_ROLES = ['detect', 'operate', 'failback'].map(
  (r) => `arn:aws:iam::${ACCOUNT}:role/standby/standby-${r}`,
);

let o: Orchestrator;
let policy: PolicyJson;
beforeAll(async () => {
  o = await orchestrator({ backup_signer_role_arns: [PRODUCER] });
  policy = o.document('backup_signing_key');
});

const may = (principal: string, action: string) =>
  allowed([policy], { action, resource: KEY, principal: { type: 'AWS', id: principal } });

describe('backup signing key (asymmetric, in the DR region)', () => {
  it('is an ECC_NIST_P256 SIGN_VERIFY key with the policy below, and an alias', () => {
    const key = resource(o.module, 'aws_kms_key', 'backup_signing');
    expect(key).toMatchObject({
      customer_master_key_spec: 'ECC_NIST_P256',
      key_usage: 'SIGN_VERIFY',
      policy: '${data.aws_iam_policy_document.backup_signing_key.json}',
    });
    // KMS rotates symmetric keys only: an asymmetric key must not ask for rotation.
    expect(key.enable_key_rotation).toBeUndefined();
    expect(evaluate(key.count, o.scope)).toBe(1);
    expect(resource(o.module, 'aws_kms_alias', 'backup_signing').name).toBe('alias/standby-backup-signing');
  });

  it('only the producer signs: not the DR roles, not the account (so no IAM policy can add a signer)', () => {
    expect(may(PRODUCER, 'kms:Sign')).toBe(true);
    expect(may(PRODUCER, 'kms:DescribeKey')).toBe(true);
    for (const principal of [INFRA, ROOT, ...OTHER_ROLES])
      expect([principal, may(principal, 'kms:Sign')]).toEqual([principal, false]);
    const signers = policy.Statement.filter((s) =>
      (s.Action ?? []).some((a) => a === 'kms:Sign' || a === 'kms:*' || a === '*' || a === 'kms:S*'),
    );
    expect(signers.map((s) => s.Sid)).toEqual(['ProducerSignsBackups']);
  });

  it('the infra role (restore-precheck) reads the public key and verifies; the producer does not', () => {
    expect(may(INFRA, 'kms:GetPublicKey')).toBe(true);
    expect(may(INFRA, 'kms:Verify')).toBe(true);
    expect(may(PRODUCER, 'kms:GetPublicKey')).toBe(false);
    expect(may(PRODUCER, 'kms:Verify')).toBe(false);
    for (const principal of OTHER_ROLES) expect(may(principal, 'kms:GetPublicKey')).toBe(false);
  });

  it('the account administers the key (policy, deletion) but cannot use it', () => {
    for (const action of [
      'kms:PutKeyPolicy',
      'kms:ScheduleKeyDeletion',
      'kms:DescribeKey',
      'kms:GetKeyPolicy',
    ])
      expect([action, may(ROOT, action)]).toEqual([action, true]);
    for (const action of ['kms:Sign', 'kms:Verify', 'kms:GetPublicKey'])
      expect([action, may(ROOT, action)]).toEqual([action, false]);
  });

  it('tells the workflows the key: STANDBY_BACKUP_VERIFY_KEY, and the backup_signing_key_arn output', () => {
    const variables = o.value('${local.repository_variables}') as Record<string, string>;
    expect(variables.STANDBY_BACKUP_VERIFY_KEY).toBe(KEY);
    expect(o.value(o.module.outputs.backup_signing_key_arn?.value)).toBe(KEY);
  });

  it('without signer roles there is no key and no STANDBY_BACKUP_VERIFY_KEY (signatures not checked)', async () => {
    const plain = await orchestrator();
    expect(evaluate(resource(plain.module, 'aws_kms_key', 'backup_signing').count, plain.scope)).toBe(0);
    const variables = plain.value('${local.repository_variables}') as Record<string, string>;
    expect(variables).not.toHaveProperty('STANDBY_BACKUP_VERIFY_KEY');
    expect(variables).toHaveProperty('STANDBY_BACKUP_URI');
  });

  it('refuses signer entries that are not IAM role ARNs (wildcards, users, accounts)', () => {
    const errors = (value: string[]) =>
      validationErrors(o.module, 'backup_signer_role_arns', value, o.scope.vars).length;
    expect(errors([PRODUCER, 'arn:aws:iam::111122223333:role/path/to/backup'])).toBe(0);
    for (const bad of ['arn:aws:iam::444455556666:role/*', 'arn:aws:iam::444455556666:user/alice', ROOT, '*'])
      expect([bad, errors([bad])]).toEqual([bad, 1]);
  });
});
