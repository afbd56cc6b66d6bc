import path from 'node:path';
import type { InputSpec } from '../phases/phase.js';
import { InputError } from '../validation/errors.js';
import { parseBucketName, required } from '../validation/primitives.js';
import type { BackendSettings } from './backend.js';
import { parseTerraformVars, type TerraformVars } from './variables.js';

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
  'state-key': {
    description: 'State object key; teardown must use the one bringup used.',
    default: 'standby/runner.tfstate',
  },
  'state-region': { description: 'Region of the state bucket; defaults to aws-region.', default: '' },
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
  backend: Omit<BackendSettings, 'region'> & { region?: string };
  vars: TerraformVars;
}

const STATE_KEY = /^[A-Za-z0-9!_.*'()/-]{1,1024}$/;
const LOCK_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export function parseTerraformRunInputs(read: (name: string) => string): TerraformRunInputs {
  const stateRegion = read('state-region').trim();
  if (stateRegion !== '' && !REGION.test(stateRegion))
    throw new InputError('state-region', `'${stateRegion}' is not an AWS region code`);
  return {
    workingDirectory: parseWorkingDirectory(read('working-directory')),
    backend: {
      bucket: parseBucketName('state-bucket', read('state-bucket')),
      key: parseStateKey(read('state-key')),
      lockTable: parseLockTable(read('lock-table')),
      region: stateRegion || undefined,
    },
    vars: parseTerraformVars('terraform-vars', read('terraform-vars')),
  };
}

function parseWorkingDirectory(raw: string): string {
  const value = required('working-directory', raw);
  if (path.isAbsolute(value) || value.split(/[\\/]/).includes('..')) {
    throw new InputError(
      'working-directory',
      `'${raw}' must be a path inside the workspace, e.g. terraform/runner`,
    );
  }
  return path.normalize(value);
}

function parseStateKey(raw: string): string {
  const value = required('state-key', raw);
  const segments = value.split('/');
  if (!STATE_KEY.test(value) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new InputError('state-key', `'${raw}' is not a plain S3 key such as standby/runner.tfstate`);
  }
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
    throw new InputError('lock-table', `'${raw}' is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`);
  return value;
}
