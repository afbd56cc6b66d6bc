// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings in parsed HCL
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type Block, loadModule, resource, type TerraformModule } from '../helpers/terraform-modules.js';
import { renderPolicyDocument, validationErrors } from './hcl-eval.js';
import { decide } from './iam-eval.js';

// The hardened S3 bucket (terraform/modules/hardened-bucket) is written once and called by both buckets
// standby owns: the Terraform state bucket (bootstrap) and the receipt bucket (orchestrator). `moved`
// blocks carry a deployment made before the module over without destroying either bucket
// (developer.hashicorp.com/terraform/language/modules/develop/refactoring: "moved" into a module call).

const BUCKET_ARN = 'arn:aws:s3:::acme-standby-receipts';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';

let bucket: TerraformModule;
const callers: Record<string, TerraformModule> = {};

beforeAll(async () => {
  bucket = await loadModule('modules/hardened-bucket');
  for (const root of ['bootstrap', 'orchestrator']) callers[root] = await loadModule(root);
});

describe('the hardened bucket module', () => {
  const r = (type: string) => resource(bucket, type, 'this');

  it('versions, encrypts with the given KMS key (SSE-KMS, bucket key), blocks public access, owner-enforced', () => {
    expect(r('aws_s3_bucket_versioning').versioning_configuration[0].status).toBe('Enabled');
    const sse = r('aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(sse.apply_server_side_encryption_by_default[0]).toEqual({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: '${var.kms_key_arn}',
    });
    expect(sse.bucket_key_enabled).toBe(true);
    expect(r('aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r('aws_s3_bucket_ownership_controls').rule[0].object_ownership).toBe('BucketOwnerEnforced');
    expect(r('aws_s3_bucket_policy').policy).toBe('${data.aws_iam_policy_document.this.json}');
  });

  it("its bucket policy denies plain HTTP for the bucket and every object, and merges the caller's statements", () => {
    const doc = bucket.data.aws_iam_policy_document?.this as Block;
    expect(doc.source_policy_documents).toBe('${var.policy_documents}');
    const policy = renderPolicyDocument(doc, {
      module: bucket,
      vars: {},
      known: { 'aws_s3_bucket.this.arn': BUCKET_ARN },
    });
    const ask = (resourceArn: string, secure: string) =>
      decide([policy], {
        action: 's3:GetObject',
        resource: resourceArn,
        principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:role/admin' },
        context: { 'aws:SecureTransport': secure },
      });
    expect(ask(`${BUCKET_ARN}/standby/receipts/x.json`, 'false')).toBe('explicit-deny');
    expect(ask(BUCKET_ARN, 'false')).toBe('explicit-deny');
    expect(ask(`${BUCKET_ARN}/standby/receipts/x.json`, 'true')).not.toBe('explicit-deny');
  });

  it('validates its inputs: an S3 bucket name, a KMS key ARN, whole retention days or none', () => {
    const base = {
      bucket_name: 'acme-standby-receipts',
      kms_key_arn: KEY_ARN,
      object_lock_enabled: false,
      noncurrent_version_retention_days: null,
      policy_documents: [],
    };
    const errors = (name: string, value: string | number | null) =>
      validationErrors(bucket, name, value, base).length;
    expect(errors('bucket_name', 'acme-standby-receipts')).toBe(0);
    for (const bad of ['Acme', 'ab', 'a_b_c', '-acme', 'acme-'])
      expect([bad, errors('bucket_name', bad)]).toEqual([bad, 1]);
    expect(errors('kms_key_arn', KEY_ARN)).toBe(0);
    expect(errors('kms_key_arn', 'alias/standby-receipts')).toBe(1);
    expect(errors('noncurrent_version_retention_days', null)).toBe(0);
    expect(errors('noncurrent_version_retention_days', 90)).toBe(0);
    for (const bad of [0, 1.5, 36501])
      expect([bad, errors('noncurrent_version_retention_days', bad)]).toEqual([bad, 1]);
  });
});

describe('both standby buckets are the module, and existing state moves into it', () => {
  it('bootstrap: the state bucket, with the state key, its retention and its encryption-pinning policy', () => {
    const module = callers.bootstrap as TerraformModule;
    const call = module.modules.state_bucket;
    expect(call).toMatchObject({
      source: '../modules/hardened-bucket',
      bucket_name: '${var.state_bucket_name}',
      kms_key_arn: '${aws_kms_key.state.arn}',
      noncurrent_version_retention_days: '${var.noncurrent_version_retention_days}',
      policy_documents: ['${data.aws_iam_policy_document.state_bucket.json}'],
    });
    expect(module.resources.aws_s3_bucket).toBeUndefined();
  });

  it('orchestrator: the receipt bucket, with the receipt key, Object Lock and the write-once policy', () => {
    const module = callers.orchestrator as TerraformModule;
    const call = module.modules.receipt_bucket;
    expect(call).toMatchObject({
      source: '../modules/hardened-bucket',
      bucket_name: '${var.receipt_bucket}',
      kms_key_arn: '${aws_kms_key.receipts.arn}',
      object_lock_enabled: true,
      policy_documents: ['${data.aws_iam_policy_document.receipt_bucket.json}'],
    });
    expect(module.resources.aws_s3_bucket).toBeUndefined();
  });

  it.each([
    ['bootstrap', 'state', 'state_bucket'],
    ['orchestrator', 'receipts', 'receipt_bucket'],
  ])('%s: every resource of the module has a moved block from its old address', (root, old, call) => {
    const moved = (callers[root]?.moved ?? []).map((m) => [m.from, m.to]);
    const expected = Object.entries(bucket.resources).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => [`\${${type}.${old}}`, `\${module.${call}.${type}.${name}}`]),
    );
    expect(expected.length).toBe(7);
    expect(moved).toEqual(expect.arrayContaining(expected));
  });
});
