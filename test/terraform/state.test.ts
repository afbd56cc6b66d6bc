// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings here
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadModule, type TerraformModule } from '../helpers/terraform-modules.js';
import { type PolicyJson, renderPolicyDocument, variableValues } from './hcl-eval.js';
import { decide } from './iam-eval.js';

// Terraform state: encrypted with the bootstrap module's KMS key (not SSE-S3), and documented so that
// bringup passes that key to the backend. Terraform's S3 backend (internal/backend/remote-state/s3,
// client.go PutObject): encrypt = true with kms_key_id sends aws:kms + the key; without it, AES256.

const STATE_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/0b0c0d0e-1111-2222-3333-444455556666';
const BUCKET = 'arn:aws:s3:::acme-standby-tfstate';

let bootstrap: TerraformModule;
let policy: PolicyJson;
beforeAll(async () => {
  bootstrap = await loadModule('bootstrap');
  const vars = variableValues(bootstrap, {
    region: 'eu-west-1',
    account_id: '111122223333',
    state_bucket_name: 'acme-standby-tfstate',
  });
  policy = renderPolicyDocument(bootstrap.data.aws_iam_policy_document?.state_bucket, {
    module: bootstrap,
    vars,
    known: { 'aws_kms_key.state.arn': STATE_KEY, 'module.state_bucket.arn': BUCKET },
  });
});

/** A state write as Terraform's S3 backend makes it. */
function writeState(key: string, headers: Record<string, string>) {
  return decide([policy], {
    action: 's3:PutObject',
    resource: `${BUCKET}/${key}`,
    principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:role/standby/standby-infra' },
    context: { 'aws:SecureTransport': 'true', ...headers },
  });
}

const WITH_KEY = {
  's3:x-amz-server-side-encryption': 'aws:kms',
  's3:x-amz-server-side-encryption-aws-kms-key-id': STATE_KEY,
};

describe('state bucket policy: state is encrypted with the bootstrap key', () => {
  it('a backend configured with kms_key_id (the bootstrap key) may write state', () => {
    expect(writeState('standby/runners/drill-1.tfstate', WITH_KEY)).not.toBe('explicit-deny');
  });

  it('encrypt = true without kms_key_id (Terraform then asks for AES256) is refused', () => {
    expect(
      writeState('standby/runners/drill-1.tfstate', { 's3:x-amz-server-side-encryption': 'AES256' }),
    ).toBe('explicit-deny');
  });

  it('another KMS key is refused', () => {
    const other = {
      ...WITH_KEY,
      's3:x-amz-server-side-encryption-aws-kms-key-id': STATE_KEY.replace('0b0c', 'ffff'),
    };
    expect(writeState('standby/orchestrator.tfstate', other)).toBe('explicit-deny');
  });

  it('no encryption header (bucket default: this key) and multipart parts are not refused; lock files are not state', () => {
    expect(writeState('standby/runners/drill-1.tfstate', {})).not.toBe('explicit-deny');
    expect(
      writeState('standby/runners/drill-1.tfstate.tflock', { 's3:x-amz-server-side-encryption': 'AES256' }),
    ).not.toBe('explicit-deny');
  });

  it('the backend_config output carries the key for -backend-config', () => {
    expect(bootstrap.outputs.backend_config?.value).toMatchObject({ kms_key_id: '${aws_kms_key.state.arn}' });
  });
});

describe('docs/terraform.md: state, provider pins, lock file', () => {
  const docs = () => readFileSync(path.resolve('docs/terraform.md'), 'utf8');

  it('tells how the backend gets the state key (flag and repository variable)', () => {
    expect(docs()).toContain('-backend-config=kms_key_id=');
    expect(docs()).toContain('STANDBY_TF_STATE_KMS_KEY_ID');
  });

  it('tells how to generate and commit .terraform.lock.hcl for every platform that runs Terraform', () => {
    expect(docs()).toContain('.terraform.lock.hcl');
    expect(docs()).toMatch(/terraform providers lock\s+(\\\s+)?-platform=linux_amd64/);
    expect(docs()).toContain('-platform=linux_arm64');
  });

  it('names the pinned provider releases', () => {
    for (const pin of ['hashicorp/aws', '6.25.0', 'integrations/github', '6.9.0'])
      expect(docs()).toContain(pin);
  });
});
