import type { OutOfRunReceipt, RunLookup, SourceProofs } from '../../evidence/source-proof.js';
import type { GitHubClient } from '../../github/client.js';
import { GitHubApiError } from '../../github/errors.js';
import { parseRepository } from '../../github/repository.js';
import { getDefaultBranch, getWorkflowRun } from '../../github/runs.js';
import { githubAccess } from '../github-access.js';

/**
 * `evidence check --verify-sources`: asks GitHub about every run that wrote a receipt outside the
 * execution's run (GET /repos/{o}/{r}/actions/runs/{id}, and the repository's default branch unless
 * --protected-branch names it). The verdict stays pure (src/evidence/source-proof.ts); this only fetches.
 */
export async function fetchSourceProofs(
  outOfRun: readonly OutOfRunReceipt[],
  flags: { apiUrl?: string; protectedBranch?: string },
  progress: (line: string) => void,
): Promise<SourceProofs> {
  // The receipts name the repository; the operator's token (GH_TOKEN, actions: read) reads its runs.
  const named = outOfRun.find((r) => r.repository)?.repository ?? undefined;
  const { client, repository } = githubAccess({ repo: named, apiUrl: flags.apiUrl }, progress);
  const protectedBranch = flags.protectedBranch ?? (await getDefaultBranch(client, repository));
  const runs: Record<string, RunLookup> = {};
  for (const receipt of outOfRun) {
    if (runs[receipt.runId] || !receipt.repository) continue;
    progress(`asking GitHub about run ${receipt.runId} (${receipt.path})`);
    runs[receipt.runId] = await lookupRun(client, receipt.repository, receipt.runId);
  }
  return { runs, protectedBranch };
}

async function lookupRun(client: GitHubClient, repository: string, runId: string): Promise<RunLookup> {
  try {
    return { run: await getWorkflowRun(client, parseRepository('repository', repository), Number(runId)) };
  } catch (error) {
    // Unknown (404) or hidden from this token (403): either way the source is not proven.
    if (error instanceof GitHubApiError && (error.status === 404 || error.status === 403))
      return { missing: `GitHub answered ${error.status} for run ${runId} in ${repository}: ${error.hint}` };
    throw error;
  }
}
