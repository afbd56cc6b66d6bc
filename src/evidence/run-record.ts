import type { WorkflowRun } from '../github/types.js';

/**
 * Does GitHub's record of a run (GET /repos/{o}/{r}/actions/runs/{run_id}) back what a receipt says about
 * the run that wrote it? A receipt's `source` is what its writer said; anyone with write access to the
 * bucket can say anything. GitHub's record cannot be written from the bucket, so a source is proven only
 * when the run exists in the repository, ran the workflow file the receipt names and, where asked, ran on
 * the protected branch and succeeded. Pure: the caller fetched the run.
 */
export interface RunClaim {
  runId: string;
  /** owner/name the receipt names. */
  repository: string;
  /** The workflow file the receipt names, e.g. teardown.yml. */
  workflowFile: string;
}

export interface RunExpectation {
  /** The branch the run must have run on (the repository's default branch). */
  branch?: string;
  /** The run must have completed with conclusion `success`. */
  succeeded?: boolean;
}

/**
 * `path` is `.github/workflows/<file>`; GitHub's schema also shows `<owner>/<repo>/.github/workflows/<file>@<ref>`.
 * Anything else (a workflow from another repository) names no file of this repository.
 */
export function workflowFileOfRun(run: Pick<WorkflowRun, 'path'>, repository: string): string | undefined {
  const match = /^(?:([^/]+\/[^/]+)\/)?\.github\/workflows\/([^@/]+)(?:@.*)?$/.exec(run.path ?? '');
  if (!match) return undefined;
  if (match[1] && match[1].toLowerCase() !== repository.toLowerCase()) return undefined;
  return match[2];
}

/** Every way the run disagrees with the claim; empty when GitHub backs it. */
export function runDisagreements(claim: RunClaim, run: WorkflowRun, expect: RunExpectation = {}): string[] {
  const problems: string[] = [];
  if (String(run.id) !== claim.runId) problems.push(`GitHub answered with run ${run.id}, not ${claim.runId}`);
  const repository = run.repository?.full_name;
  if (repository && repository.toLowerCase() !== claim.repository.toLowerCase())
    problems.push(`run ${claim.runId} belongs to ${repository}, not ${claim.repository}`);
  const file = workflowFileOfRun(run, claim.repository);
  if (file !== claim.workflowFile)
    problems.push(
      `run ${claim.runId} ran ${run.path ? `'${run.path}'` : 'an unknown workflow'}, not .github/workflows/${claim.workflowFile}`,
    );
  if (expect.branch !== undefined && run.head_branch !== expect.branch)
    problems.push(
      `run ${claim.runId} ran on ${run.head_branch ? `branch '${run.head_branch}'` : 'no branch'}, not on the protected branch '${expect.branch}'`,
    );
  if (expect.succeeded && (run.status !== 'completed' || run.conclusion !== 'success'))
    problems.push(
      `run ${claim.runId} ${run.status === 'completed' ? `concluded '${run.conclusion ?? 'unknown'}'` : `is ${run.status ?? 'in an unknown state'}`}, not 'success'`,
    );
  return problems;
}
