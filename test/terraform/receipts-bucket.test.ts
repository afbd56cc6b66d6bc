// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import { resource } from '../helpers/terraform-modules.js';
import { validationErrors } from './hcl-eval.js';
import { allowed, decide, type RequestContext } from './iam-eval.js';
import { KNOWN, type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// The receipt bucket (terraform/orchestrator/receipts.tf): write-once receipts enforced by S3 itself.
// Facts: S3 User Guide "Enforce conditional writes on Amazon S3 buckets" (s3:if-none-match is present
// only when the request carries If-None-Match; the AWS example allows PutObject with Null = false, so
// denying with Null = true refuses the unconditional ones) and "Configuring S3 Object Lock".

let o: Orchestrator;
beforeAll(async () => {
  o = await orchestrator();
});

const RECEIPT = 'arn:aws:s3:::acme-standby-receipts/standby/receipts/drill-1/bringup.json';

describe('receipt bucket', () => {
  const r = (type: string) => resource(o.module, type, 'receipts');

  it('is created with Object Lock, versioned, with a default retention from the variables', () => {
    expect(o.value(r('aws_s3_bucket').bucket)).toBe('acme-standby-receipts');
    expect(r('aws_s3_bucket').object_lock_enabled).toBe(true);
    expect(r('aws_s3_bucket_versioning').versioning_configuration[0].status).toBe('Enabled');
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

  it('encrypts with its own KMS key (SSE-KMS), blocks public access, owner-enforced', () => {
    const sse = r('aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(sse.apply_server_side_encryption_by_default[0]).toEqual({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: '${aws_kms_key.receipts.arn}',
    });
    expect(r('aws_kms_key').enable_key_rotation).toBe(true);
    expect(r('aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r('aws_s3_bucket_ownership_controls').rule[0].object_ownership).toBe('BucketOwnerEnforced');
  });

  describe('bucket policy: no receipt can be overwritten, by any principal', () => {
    const bucketPolicy = () => o.document('receipt_bucket');
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
        Resource: [`${KNOWN['aws_s3_bucket.receipts.arn']}/standby/receipts/*`],
        Principal: { '*': ['*'] },
        Condition: { Null: { 's3:if-none-match': ['true'] } },
      });
    });
  });
});
