import { parseEnvironmentName, parseRepository, type RepositoryRef } from '../../github/repository.js';
import type { InputSpec } from '../../io/input-spec.js';
import { fromWorkflow, isUnevaluated } from '../../io/input-spec.js';
import { CRONJOB_NAME_MAX, parseDnsLabel } from '../../validation/dns1123.js';
import { InputError } from '../../validation/errors.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseList, parseNumber } from '../../validation/primitives.js';
import { parseApiUrl } from '../promote/inputs.js';

export const activateInputs: Record<string, InputSpec> = {
  confirm: {
    description: 'The execution id typed again: activation starts the standby publishing.',
    required: true,
  },
  'instance-id': { description: "The standby runner. Default: the execution's resolve-runner receipt." },
  namespace: { description: "Application namespace. Default: the execution's restore receipt." },
  cronjobs: {
    description:
      "CronJobs to un-suspend, comma-separated. Default: those the execution's restore created suspended.",
  },
  'timeout-seconds': { description: 'Wall-clock limit on the runner.', default: '300' },
  // GitHub confirms the approval (approval-provenance.ts): the pipeline run and its environment review.
  'github-token': {
    description:
      "Token that can read the pipeline run and its review log ('actions: read'). Never recorded or logged.",
    default: fromWorkflow('github.token'),
    secret: true,
  },
  repository: {
    description: 'owner/name of the repository whose pipeline run approved the promotion.',
    default: fromWorkflow('github.repository'),
  },
  environment: {
    description: 'Protected environment whose review the approval must show.',
    default: 'dr-promotion',
  },
  'api-url': {
    description: "GitHub REST API base URL (default: the runner's github.api_url).",
    default: fromWorkflow('github.api_url'),
  },
};

export interface ActivateInputs {
  confirm: string;
  instanceId?: string;
  namespace?: string;
  cronjobs: string[];
  timeoutSeconds: number;
  /** '' outside GitHub Actions when not given: githubAccess() says what to pass. */
  token: string;
  repository: string;
  environment: string;
  apiUrl: string;
}

const evaluated = (raw: string) => (isUnevaluated(raw) ? '' : raw.trim());

/** Outside a workflow the `${{ github.* }}` defaults stay unevaluated: then the value must be given. */
export function githubAccess(input: ActivateInputs): { token: string; repository: RepositoryRef } {
  if (!input.token)
    throw new InputError(
      'github-token',
      "is required outside GitHub Actions: pass a token that can read the pipeline run ('actions: read')",
    );
  if (!input.repository)
    throw new InputError(
      'repository',
      'is required outside GitHub Actions: pass owner/name of the repository that ran the pipeline',
    );
  return { token: input.token, repository: parseRepository('repository', input.repository) };
}

export function parseActivateInputs(read: (name: string) => string): ActivateInputs {
  const instance = read('instance-id').trim();
  const namespace = read('namespace').trim();
  return {
    confirm: read('confirm').trim(),
    ...(instance ? { instanceId: parseInstanceId('instance-id', instance) } : {}),
    ...(namespace ? { namespace: parseDnsLabel('namespace', namespace) } : {}),
    cronjobs: parseList(read('cronjobs')).map((name) => parseDnsLabel('cronjobs', name, CRONJOB_NAME_MAX)),
    timeoutSeconds: parseNumber('timeout-seconds', read('timeout-seconds'), {
      min: 30,
      max: 3600,
      integer: true,
    }),
    // Checked when activation asks GitHub (githubAccess), after the receipts: a missing receipt-bucket is
    // reported first, and a refusal that needs no GitHub (a drill, no approval) needs no token.
    token: evaluated(read('github-token')),
    repository: evaluated(read('repository')),
    environment: parseEnvironmentName('environment', read('environment')),
    apiUrl: parseApiUrl(evaluated(read('api-url')) || 'https://api.github.com'),
  };
}
