import type { InputSpec } from '../../io/input-spec.js';
import { parseBoolean } from '../../validation/primitives.js';
import { parseTerraformRunInputs, type TerraformRunInputs, terraformRunInputs } from '../terraform-inputs.js';

export const teardownInputs: Record<string, InputSpec> = {
  ...terraformRunInputs,
  verify: {
    description:
      'After the destroy, check through the EC2 and IAM APIs that nothing tagged with this execution remains (true/false).',
    default: 'true',
    boolean: true,
  },
};

export interface TeardownInputs extends TerraformRunInputs {
  verify: boolean;
}

export function parseTeardownInputs(read: (name: string) => string): TeardownInputs {
  return { ...parseTerraformRunInputs(read), verify: parseBoolean('verify', read('verify'), true) };
}
