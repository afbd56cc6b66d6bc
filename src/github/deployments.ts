import type { GitHubClient } from './client.js';
import { type RepositoryRef, repoPath } from './repository.js';
import type { PendingDeployment, RunApproval } from './types.js';

/** Environment reviews of a workflow run: who decided, and what is still waiting. */

export async function listRunApprovals(
  client: GitHubClient,
  ref: RepositoryRef,
  runId: number,
): Promise<RunApproval[]> {
  return client.request<RunApproval[]>('GET', `${repoPath(ref)}/actions/runs/${runId}/approvals`);
}

export async function getPendingDeployments(
  client: GitHubClient,
  ref: RepositoryRef,
  runId: number,
): Promise<PendingDeployment[]> {
  return client.request<PendingDeployment[]>(
    'GET',
    `${repoPath(ref)}/actions/runs/${runId}/pending_deployments`,
  );
}

export interface Review {
  environmentIds: number[];
  state: 'approved' | 'rejected';
  comment: string;
}

/** Approve or reject waiting deployments. Works only with a required reviewer's own token. */
export async function reviewPendingDeployments(
  client: GitHubClient,
  ref: RepositoryRef,
  runId: number,
  review: Review,
): Promise<unknown[]> {
  if (review.environmentIds.length === 0)
    throw new Error('no environment ids to review: nothing is waiting for approval');
  return client.request<unknown[]>('POST', `${repoPath(ref)}/actions/runs/${runId}/pending_deployments`, {
    environment_ids: review.environmentIds,
    state: review.state,
    comment: review.comment,
  });
}

/**
 * The decision (approved or rejected) recorded for the environment; 'pending' entries are comments,
 * not decisions. When the log holds several (a re-run reviewed again), the last listed one counts.
 */
export function decisionFor(approvals: RunApproval[], environment: string): RunApproval | undefined {
  const decided = approvals.filter(
    (approval) =>
      (approval.state === 'approved' || approval.state === 'rejected') &&
      (approval.environments ?? []).some((env) => env.name === environment),
  );
  return decided.at(-1);
}
