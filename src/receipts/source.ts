import type { Receipt } from './envelope.js';

/** Where a phase ran: the GitHub Actions run that started it, or an operator's terminal. */
export function currentSource(env: NodeJS.ProcessEnv = process.env): Receipt['source'] {
  const get = (name: string) => env[name] || null;
  return {
    kind: env.GITHUB_ACTIONS === 'true' ? 'github-actions' : 'cli',
    repository: get('GITHUB_REPOSITORY'),
    workflow: get('GITHUB_WORKFLOW_REF') ?? get('GITHUB_WORKFLOW'),
    run_id: get('GITHUB_RUN_ID'),
    run_attempt: get('GITHUB_RUN_ATTEMPT'),
    commit: get('GITHUB_SHA'),
    actor: get('GITHUB_ACTOR') ?? get('USER'),
    event: get('GITHUB_EVENT_NAME'),
  };
}
