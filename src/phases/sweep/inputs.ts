import { parseRepository, type RepositoryRef } from '../../github/repository.js';
import type { InputSpec } from '../../io/input-spec.js';
import { fromWorkflow, isUnevaluated } from '../../io/input-spec.js';
import { parseBoolean, parseNumber } from '../../validation/primitives.js';
import { parseApiUrl } from '../promote/inputs.js';
import { parseTerraformRunInputs, type TerraformRunInputs, terraformRunInputs } from '../terraform-inputs.js';

export const sweepInputs: Record<string, InputSpec> = {
  ...terraformRunInputs,
  'github-token': {
    description:
      "Token that can read workflow runs ('actions: read'): a drill runner whose run is over is a leak. Without one, only expiry counts.",
    default: fromWorkflow('github.token'),
    secret: true,
  },
  repository: {
    description: 'owner/name of the repository whose runs own the runners.',
    default: fromWorkflow('github.repository'),
  },
  'api-url': { description: 'GitHub REST API base URL.', default: fromWorkflow('github.api_url') },
  'stale-lock-minutes': {
    description:
      'A state lock older than this has no live holder (longer than any Terraform job may run: bringup and teardown time out at 45).',
    default: '120',
  },
  'dry-run': {
    description: 'Report what would be destroyed and cleared, change nothing (true/false).',
    default: 'false',
    boolean: true,
  },
};

export interface SweepInputs extends TerraformRunInputs {
  github?: { token: string; repository: RepositoryRef; apiUrl: string };
  staleLockMinutes: number;
  dryRun: boolean;
}

const given = (raw: string) => (isUnevaluated(raw) ? '' : raw.trim());

export function parseSweepInputs(read: (name: string) => string): SweepInputs {
  const token = given(read('github-token'));
  const repository = given(read('repository'));
  return {
    ...parseTerraformRunInputs(read),
    github:
      token && repository
        ? {
            token,
            repository: parseRepository('repository', repository),
            apiUrl: parseApiUrl(given(read('api-url')) || 'https://api.github.com'),
          }
        : undefined,
    staleLockMinutes: parseNumber('stale-lock-minutes', read('stale-lock-minutes'), {
      min: 50,
      max: 7 * 24 * 60,
      integer: true,
    }),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
  };
}
