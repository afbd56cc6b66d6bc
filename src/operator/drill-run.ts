import type { GitHubClient } from '../github/client.js';
import { GitHubApiError } from '../github/errors.js';
import type { RepositoryRef } from '../github/repository.js';
import { getWorkflowRun } from '../github/runs.js';
import { type ConfirmedRun, type DrillCheck, whyRunUnconfirmed } from './trigger-gate.js';

/** The run GitHub has under that id, or undefined when it has none (404, or no id a run could have). */
export async function confirmRun(
  client: GitHubClient,
  repository: RepositoryRef,
  runId: string | undefined,
): Promise<ConfirmedRun | undefined> {
  if (!runId || !/^\d{1,19}$/.test(runId)) return undefined;
  try {
    return await getWorkflowRun(client, repository, Number(runId));
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Why GitHub does not confirm a drill's run (its receipts name a run; GitHub must know it as a drill.yml
 * run of the repository), or undefined: the receipts alone can be written by whoever can write the bucket.
 */
export async function whyDrillUnconfirmed(
  client: GitHubClient,
  repository: RepositoryRef,
  check: DrillCheck,
): Promise<string | undefined> {
  const run = await confirmRun(client, repository, check.runId);
  return whyRunUnconfirmed(check, run, `${repository.owner}/${repository.repo}`);
}
