import {
  parseEnvironmentName,
  parseRepository,
  parseRunId,
  type RepositoryRef,
} from '../../github/repository.js';
import type { InputSpec } from '../../io/input-spec.js';
import { fromWorkflow, isUnevaluated } from '../../io/input-spec.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseLabel } from '../../validation/notification.js';
import { parseBoolean } from '../../validation/primitives.js';

export const promoteInputs: Record<string, InputSpec> = {
  'github-token': {
    description: "Token that can read the run's approvals ('actions: read'). Never recorded or logged.",
    default: fromWorkflow('github.token'),
    secret: true,
  },
  'run-id': { description: 'Workflow run whose gate was decided.', default: fromWorkflow('github.run_id') },
  ticket: { description: 'Change/incident ticket the decision belongs to (recorded with it).', default: '' },
  environment: { description: 'Protected environment of the gate.', default: 'dr-promotion' },
  'scheduled-drill': {
    description:
      "A scheduled drill (drill.yml's schedule, drill executions only): no gate ran, so record 'no decision: scheduled drill' without asking GitHub.",
    default: 'false',
  },
  repository: {
    description: 'owner/name of the repository running the pipeline.',
    default: fromWorkflow('github.repository'),
  },
  'api-url': {
    description:
      "GitHub REST API base URL (default: the runner's github.api_url). GitHub Enterprise Server is not supported (docs/deploy.md).",
    default: fromWorkflow('github.api_url'),
  },
};

export interface PromoteInputs {
  token: string;
  runId: number;
  ticket: string;
  environment: string;
  scheduledDrill: boolean;
  repository: RepositoryRef;
  apiUrl: string;
}

/** Outside a workflow the `${{ github.* }}` defaults are never evaluated: treat them as not given. */
function given(raw: string): string {
  return isUnevaluated(raw) ? '' : raw.trim();
}

function needed(input: string, raw: string, hint: string): string {
  const value = given(raw);
  if (value === '') throw new InputError(input, `is required outside GitHub Actions: ${hint}`);
  return value;
}

export function parsePromoteInputs(read: (name: string) => string): PromoteInputs {
  return {
    token: needed(
      'github-token',
      read('github-token'),
      'pass a token that can read the run (GH_TOKEN, gh auth token)',
    ),
    runId: parseRunId('run-id', needed('run-id', read('run-id'), 'pass the run id of the DR pipeline')),
    ticket: parseLabel('ticket', read('ticket')),
    environment: parseEnvironmentName('environment', read('environment')),
    scheduledDrill: parseBoolean('scheduled-drill', read('scheduled-drill'), false),
    repository: parseRepository('repository', needed('repository', read('repository'), 'pass owner/name')),
    apiUrl: parseApiUrl(given(read('api-url')) || 'https://api.github.com'),
  };
}

/** https only, except loopback (a local stand-in for the API in tests); the token is sent there. */
export function parseApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('api-url', `${quoted(raw)} is not a URL (e.g. https://api.github.com)`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError('api-url', `${quoted(raw)} must use https (the token is sent to it)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      'api-url',
      `${quoted(raw)} must be a plain base URL without credentials, query or fragment`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}
