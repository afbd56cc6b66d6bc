import {
  parseTerraformRunInputs,
  type TerraformRunInputs,
  terraformRunInputs,
} from '../../terraform/phase-inputs.js';
import { stringVar } from '../../terraform/variables.js';
import { InputError } from '../../validation/errors.js';
import { parseBoolean } from '../../validation/primitives.js';
import type { InputSpec } from '../phase.js';
import type { RunnerTags } from './leftovers.js';

export const teardownInputs: Record<string, InputSpec> = {
  ...terraformRunInputs,
  verify: {
    description:
      'After the destroy, check through the EC2 and IAM APIs that no tagged runner resources remain (true/false).',
    default: 'true',
    boolean: true,
  },
};

export interface TeardownInputs extends TerraformRunInputs {
  verify: boolean;
  /** The tags the runner module put on everything: Name from terraform-vars.name (module default otherwise). */
  tags: RunnerTags;
  /** Region the runner was built in (terraform-vars.region), when given. */
  runnerRegion?: string;
}

export const DEFAULT_RUNNER_NAME = 'standby-dr-runner';

export function parseTeardownInputs(read: (name: string) => string): TeardownInputs {
  const common = parseTerraformRunInputs(read);
  const name = stringVar(common.vars, 'name') ?? DEFAULT_RUNNER_NAME;
  if (!/^[a-z][a-z0-9-]{2,38}[a-z0-9]$/.test(name))
    throw new InputError('terraform-vars', `name '${name}' is not a valid runner name`);
  return {
    ...common,
    verify: parseBoolean('verify', read('verify'), true),
    tags: { Name: name, Purpose: 'standby-dr', ManagedBy: 'standby' },
    runnerRegion: stringVar(common.vars, 'region'),
  };
}
