// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type Block, loadModule, resource } from '../helpers/terraform-modules.js';
import { type PolicyJson, renderPolicyDocument, validationErrors } from './hcl-eval.js';
import { allowed, decide, type RequestContext } from './iam-eval.js';
import { KNOWN, type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// The receipt bucket (terraform/orchestrator/receipts.tf): write-once receipts enforced by S3 itself.
// Facts: S3 User Guide "Enforce conditional writes on Amazon S3 buckets" (s3:if-none-match is present
// only when the request carries If-None-Match; the AWS example allows PutObject with Null = false, so
// denying with Null = true refuses the unconditional ones) and "Configuring S3 Object Lock".

let o: Orchestrator;
let tlsOnly: PolicyJson;
beforeAll(async () => {
  o = await orchestrator();
  // The statement the hardened-bucket module puts in front of the caller's (source_policy_documents).
  const bucket = await loadModule('modules/hardened-bucket');
  tlsOnly = renderPolicyDocument(bucket.data.aws_iam_policy_document?.this as Block, {
    module: bucket,
    vars: {},
    known: { 'aws_s3_bucket.this.arn': KNOWN['module.receipt_bucket.arn'] as string },
  });
});

const RECEIPT = 'arn:aws:s3:::acme-standby-receipts/standby/receipts/drill-1/bringup.json';

describe('receipt bucket', () => {
  const r = (type: string) => resource(o.module, type, 'receipts');

  it('is the hardened bucket created with Object Lock, with a default retention from the variables', () => {
    const call = o.module.modules.receipt_bucket;
    expect(call).toMatchObject({ source: '../modules/hardened-bucket', object_lock_enabled: true });
    expect(o.value(call?.bucket_name)).toBe('acme-standby-receipts');
    const retention = r('aws_s3_bucket_object_lock_configuration').rule[0].default_retention[0];
    expect([o.value(retention.mode), o.value(retention.days)]).toEqual(['GOVERNANCE', 400]);
    const compliance = [validationErrors(o.module, 'receipt_retention_mode', 'COMPLIANCE', o.scope.vars)];
    expect(compliance).toEqual([[]]);
  });

  it('validates the retention: mode GOVERNANCE or COMPLIANCE, whole days from 1 to 36500', () => {
    const errors = (name: string, value: string | number) =>
      validationErrors(o.module, name, value, o.scope.vars);
    expect(errors('receipt_retention_days', 1)).toEqual([]);
    expect(errors('receipt_retention_days', 3650)).toEqual([]);
    for (const bad of [0, -1, 1.5, 36501])
      expect([bad, errors('receipt_retention_days', bad).length]).toEqual([bad, 1]);
    expect(errors('receipt_retention_mode', 'governance')).toHaveLength(1);
  });

  it('encrypts with its own rotating KMS key (the module does SSE-KMS, public access, TLS only)', () => {
    expect(o.module.modules.receipt_bucket?.kms_key_arn).toBe('${aws_kms_key.receipts.arn}');
    expect(r('aws_kms_key').enable_key_rotation).toBe(true);
  });

  describe('bucket policy: no receipt can be overwritten, by any principal', () => {
    // The policy S3 gets: the module's TLS-only deny merged with the receipt statements.
    const bucketPolicy = (): PolicyJson => ({
      Version: '2012-10-17',
      Statement: [...tlsOnly.Statement, ...o.document('receipt_bucket').Statement],
    });
    const put = (resourceArn: string, context: RequestContext['context']) =>
      decide([bucketPolicy()], {
        action: 's3:PutObject',
        resource: resourceArn,
        principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:role/admin' },
        context: { 'aws:SecureTransport': 'true', ...context },
      });

    it('a PutObject without If-None-Match on a receipt key is denied explicitly', () => {
      expect(put(RECEIPT, {})).toBe('explicit-deny');
    });

    it('a conditional PutObject (If-None-Match: *) is not denied', () => {
      expect(put(RECEIPT, { 's3:if-none-match': '*' })).not.toBe('explicit-deny');
    });

    it('plain HTTP is denied for everything', () => {
      expect(put(RECEIPT, { 's3:if-none-match': '*', 'aws:SecureTransport': 'false' })).toBe('explicit-deny');
    });

    it('with the operate role: only the conditional write goes through', () => {
      const policies = [...o.rolePolicies('aws_iam_role.github["operate"]'), bucketPolicy()];
      const ask = (context: RequestContext['context']) =>
        allowed(policies, {
          action: 's3:PutObject',
          resource: RECEIPT,
          principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:role/standby/standby-operate' },
          context: { 'aws:SecureTransport': 'true', ...context },
        });
      expect(ask({ 's3:if-none-match': '*' })).toBe(true);
      expect(ask({})).toBe(false);
    });

    it('nobody deletes a receipt or one of its versions', () => {
      for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion'])
        expect(
          decide([bucketPolicy()], {
            action,
            resource: RECEIPT,
            principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:role/admin' },
            context: { 'aws:SecureTransport': 'true' },
          }),
        ).toBe('explicit-deny');
    });

    it('every role can count the versions of receipt keys (evidence check flags overwrites)', () => {
      for (const role of ['detect', 'infra', 'operate']) {
        const policies = o.rolePolicies(`aws_iam_role.github["${role}"]`);
        const ask = (action: string, prefix?: string) =>
          allowed(policies, {
            action,
            resource: 'arn:aws:s3:::acme-standby-receipts',
            principal: { type: 'AWS', id: `arn:aws:iam::111122223333:role/standby/standby-${role}` },
            context: prefix === undefined ? {} : { 's3:prefix': prefix },
          });
        expect([role, ask('s3:ListBucketVersions', 'standby/receipts/drill-1/')]).toEqual([role, true]);
        expect([role, ask('s3:ListBucketVersions', 'other/')]).toEqual([role, false]);
        expect([role, ask('s3:GetBucketVersioning')]).toEqual([role, true]);
      }
    });

    it('the deny names the receipt prefix of the bucket this module creates', () => {
      const deny = bucketPolicy().Statement.find((s) => s.Sid === 'DenyUnconditionalReceiptWrites');
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Action: ['s3:PutObject'],
        Resource: [`${KNOWN['module.receipt_bucket.arn']}/standby/receipts/*`],
        Principal: { '*': ['*'] },
        Condition: { Null: { 's3:if-none-match': ['true'] } },
      });
    });
  });
});
