import type { GitHubClient } from './client.js';
import { type RepositoryRef, repoPath } from './repository.js';
import type { WorkflowJob, WorkflowRun } from './types.js';

/** Workflow runs and their jobs (read-only; 'actions: read' is enough). */

export async function getWorkflowRun(
  client: GitHubClient,
  ref: RepositoryRef,
  runId: number,
): Promise<WorkflowRun> {
  return client.request<WorkflowRun>('GET', `${repoPath(ref)}/actions/runs/${runId}`);
}

const PAGE_SIZE = 100;

/** Every job of the run's latest attempt, across pages (GitHub's Link headers, by octokit.paginate). */
export async function listRunJobs(
  client: GitHubClient,
  ref: RepositoryRef,
  runId: number,
): Promise<WorkflowJob[]> {
  return client.paginate<WorkflowJob>(`${repoPath(ref)}/actions/runs/${runId}/jobs`, {
    filter: 'latest',
    per_page: PAGE_SIZE,
  });
}

export interface RunFilter {
  status?: string;
  event?: string;
  branch?: string;
  perPage?: number;
}

/** The newest runs of one workflow (its file name, e.g. dr-pipeline.yml, or its numeric id). */
export async function listWorkflowRuns(
  client: GitHubClient,
  ref: RepositoryRef,
  workflow: string | number,
  filter: RunFilter = {},
): Promise<WorkflowRun[]> {
  const query = new URLSearchParams({ per_page: String(Math.min(filter.perPage ?? 30, PAGE_SIZE)) });
  if (filter.status) query.set('status', filter.status);
  if (filter.event) query.set('event', filter.event);
  if (filter.branch) query.set('branch', filter.branch);
  const path = `${repoPath(ref)}/actions/workflows/${encodeURIComponent(String(workflow))}/runs?${query}`;
  const answer = await client.request<{ total_count: number; workflow_runs: WorkflowRun[] }>('GET', path);
  return answer.workflow_runs;
}

/** The repository's default branch (GET /repos/{owner}/{repo}): the protected ref pipeline runs use. */
export async function getDefaultBranch(client: GitHubClient, ref: RepositoryRef): Promise<string> {
  return (await client.request<{ default_branch: string }>('GET', repoPath(ref))).default_branch;
}
