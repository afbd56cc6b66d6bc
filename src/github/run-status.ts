import { describeError } from '../util/errors.js';
import type { GitHubClient } from './client.js';
import { GitHubApiError } from './errors.js';
import type { RepositoryRef } from './repository.js';
import { getWorkflowRun } from './runs.js';

/** Whether a workflow run is still going, as far as the API can tell. */
export type RunLookup =
  | { state: 'live'; status: string }
  | { state: 'finished'; conclusion: string }
  | { state: 'missing' }
  | { state: 'unknown'; detail: string };

/**
 * GET /repos/{o}/{r}/actions/runs/{id}. Every status but `completed` (queued, in_progress, waiting,
 * pending, requested) is a run that may still act; `completed` carries the conclusion. A 404 is a run
 * that does not exist (deleted, or another repository); anything else is unknown, and unknown is never
 * taken as finished.
 */
export async function lookupRun(
  client: GitHubClient,
  repository: RepositoryRef,
  runId: number,
): Promise<RunLookup> {
  try {
    const run = await getWorkflowRun(client, repository, runId);
    if (run.status === 'completed') return { state: 'finished', conclusion: run.conclusion ?? 'unknown' };
    return { state: 'live', status: run.status ?? 'unknown' };
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) return { state: 'missing' };
    return { state: 'unknown', detail: describeError(error) };
  }
}

export function describeLookup(lookup: RunLookup): string {
  switch (lookup.state) {
    case 'live':
      return `live (${lookup.status})`;
    case 'finished':
      return `finished (${lookup.conclusion})`;
    case 'missing':
      return 'not found';
    default:
      return `unknown (${lookup.detail})`;
  }
}
