import { describeError } from '../util/errors.js';
import type { GitHubClient } from './client.js';
import type { RepositoryRef } from './repository.js';
import { getWorkflowRun } from './runs.js';

/** Whether a workflow run is still going, as far as the API can tell. */
export type RunLookup =
  | { state: 'live'; status: string }
  | { state: 'finished'; conclusion: string; completedAt?: string }
  | { state: 'unknown'; detail: string };

/**
 * GET /repos/{o}/{r}/actions/runs/{id}. Every status but `completed` (queued, in_progress, waiting,
 * pending, requested) is a run that may still act; `completed` carries the conclusion and, in
 * updated_at, when it was last touched. Every error is unknown, 404 included: GitHub answers 404 both
 * for a run that does not exist and for one the token may not see (another repository, a missing
 * permission; docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api), so a 404 never
 * proves a run is over. Unknown is never taken as finished.
 */
export async function lookupRun(
  client: GitHubClient,
  repository: RepositoryRef,
  runId: number,
): Promise<RunLookup> {
  try {
    const run = await getWorkflowRun(client, repository, runId);
    if (run.status === 'completed')
      return { state: 'finished', conclusion: run.conclusion ?? 'unknown', completedAt: run.updated_at };
    return { state: 'live', status: run.status ?? 'unknown' };
  } catch (error) {
    return { state: 'unknown', detail: describeError(error) };
  }
}

export function describeLookup(lookup: RunLookup): string {
  switch (lookup.state) {
    case 'live':
      return `live (${lookup.status})`;
    case 'finished':
      return `finished (${lookup.conclusion})`;
    default:
      return `unknown (${lookup.detail})`;
  }
}
