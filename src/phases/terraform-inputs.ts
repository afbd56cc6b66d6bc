import path from 'node:path';
import type { InputSpec } from '../io/input-spec.js';
import type { BackendSettings } from '../terraform/backend.js';
import { DEFAULT_STATE_KEY_PREFIX } from '../terraform/runner-contract.js';
import { parseTerraformVars, type TerraformVars } from '../terraform/variables.js';
import { InputError, quoted } from '../validation/errors.js';
import { parseBucketName, parseOptionalRegion, required } from '../validation/primitives.js';

/** Inputs bringup and teardown share: the same names, so teardown can be given exactly what bringup got. */
export const terraformRunInputs: Record<string, InputSpec> = {
  'working-directory': {
    description: 'Terraform root module to run (relative to the workspace).',
    default: 'terraform/runner',
  },
  'state-bucket': {
    description: 'S3 bucket holding Terraform state (bootstrap output state_bucket).',
    required: true,
  },
  'state-key-prefix': {
    description:
      'Prefix of the per-execution state keys: each execution keeps its runner in <prefix>/<execution id>.tfstate.',
    default: DEFAULT_STATE_KEY_PREFIX,
  },
  'state-region': { description: 'Region of the state bucket; defaults to aws-region.', default: '' },
  'state-kms-key-id': {
    description:
      'KMS key of the state bucket (bootstrap output kms_key_id), passed as -backend-config=kms_key_id. Empty: the backend asks for SSE-S3.',
    default: '',
  },
  'lock-table': {
    description:
      'DynamoDB lock table (bootstrap output lock_table). Required: Terraform never runs unlocked.',
    required: true,
  },
  'terraform-vars': {
    description:
      'JSON object of Terraform variable values, e.g. {"subnet_id":"subnet-0abc...","backup_bucket":"my-backups"}.',
    default: '{}',
  },
};

export interface TerraformRunInputs {
  workingDirectory: string;
  /** Where the state lives, without the key: the key is per execution (stateKeyFor). */
  backend: Omit<BackendSettings, 'region' | 'key'> & { region?: string };
  stateKeyPrefix: string;
  vars: TerraformVars;
}

const STATE_KEY_PREFIX = /^[A-Za-z0-9!_.*'()/-]{1,900}$/;
const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]{1,256}|alias\/[A-Za-z0-9/_-]{1,256}|(mrk-)?[0-9a-f-]{32,36})$/;
const LOCK_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;

export function parseTerraformRunInputs(read: (name: string) => string): TerraformRunInputs {
  const stateRegion = parseOptionalRegion('state-region', read('state-region'));
  return {
    workingDirectory: parseWorkingDirectory(read('working-directory')),
    backend: {
      bucket: parseBucketName('state-bucket', read('state-bucket')),
      lockTable: parseLockTable(read('lock-table')),
      region: stateRegion,
      kmsKeyId: parseKmsKey(read('state-kms-key-id')),
    },
    stateKeyPrefix: parseStateKeyPrefix(read('state-key-prefix')),
    vars: parseTerraformVars('terraform-vars', read('terraform-vars')),
  };
}

function parseWorkingDirectory(raw: string): string {
  const value = required('working-directory', raw);
  if (path.isAbsolute(value) || value.split(/[\\/]/).includes('..')) {
    throw new InputError(
      'working-directory',
      `${quoted(raw)} must be a path inside the workspace, e.g. terraform/runner`,
    );
  }
  return path.normalize(value);
}

function parseStateKeyPrefix(raw: string): string {
  const value = required('state-key-prefix', raw).replace(/\/+$/, '');
  const segments = value.split('/');
  if (!STATE_KEY_PREFIX.test(value) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new InputError(
      'state-key-prefix',
      `${quoted(raw)} is not a plain S3 key prefix such as ${DEFAULT_STATE_KEY_PREFIX}`,
    );
  }
  return value;
}

function parseKmsKey(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!KMS_KEY.test(value))
    throw new InputError(
      'state-kms-key-id',
      `${quoted(raw)} is not a KMS key ARN, alias or key id (e.g. arn:aws:kms:eu-west-1:111122223333:key/<uuid>)`,
    );
  return value;
}

function parseLockTable(raw: string): string {
  if (raw.trim() === '') {
    throw new InputError(
      'lock-table',
      'is required: without a lock two runs could apply at once; pass the bootstrap output lock_table',
    );
  }
  const value = raw.trim();
  if (!LOCK_TABLE.test(value))
    throw new InputError(
      'lock-table',
      `${quoted(raw)} is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`,
    );
  return value;
}
