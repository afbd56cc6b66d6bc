import { PIPELINE_WORKFLOWS, workflowFile } from '../../evidence/run-kind.js';
import { type RunClaim, runDisagreements } from '../../evidence/run-record.js';
import { describeSource, runIdFromExecutionId } from '../../evidence/sources.js';
import type { RunApproval, WorkflowRun } from '../../github/types.js';
import type { Receipt } from '../../receipts/envelope.js';
import type { StoredReceipt } from '../../receipts/store.js';

/**
 * Whose approval activation accepts (issue 19.1). A promote receipt is only what its writer said, and
 * anyone with write access to the receipt bucket can write one. Activation accepts an approval only when
 *
 *  1. the receipts say it came from this execution's own pipeline run: the newest promote receipt and
 *     every receipt its hash chain links back to belong to this execution (its own `execution_id`, links
 *     only to receipts stored under this execution, sequence 1..n) and were written in GitHub Actions by
 *     the run whose id the execution id carries, in this repository, by a workflow that runs the
 *     pipeline (judgeApprovalReceipts); and
 *  2. GitHub agrees: the run is that workflow's run in this repository, and its review log shows the
 *     promotion environment approved by someone other than the person who started the run, and no
 *     rejection (judgeApprovalReview).
 *
 * Pure: the caller reads the receipts and asks GitHub; these functions only decide.
 */
export type Refused = { verdict: 'refused'; reason: string };

export type ReceiptsVerdict =
  | {
      verdict: 'allowed';
      /** The run GitHub must confirm. */
      run: RunClaim;
      /** The promote receipt and everything before it in its chain: what activation may read. */
      chain: Receipt[];
      /** Who the promote receipt says decided. */
      decidedBy?: string;
    }
  | Refused;

export type ReviewVerdict = { verdict: 'allowed'; approvedBy: string[] } | Refused;

const refused = (reason: string): Refused => ({ verdict: 'refused', reason });

export function judgeApprovalReceipts(
  executionId: string,
  repository: string,
  stored: StoredReceipt[],
): ReceiptsVerdict {
  const valid = stored.filter((r): r is StoredReceipt & { receipt: Receipt } => Boolean(r.receipt));
  const promote = valid
    .filter((r) => r.receipt.phase === 'promote')
    .sort((a, b) => b.receipt.sequence - a.receipt.sequence)[0];
  if (!promote) return refused(`execution ${executionId} has no promote receipt`);
  const runId = runIdFromExecutionId(executionId);
  if (!runId)
    return refused(
      `execution id ${executionId} names no pipeline run (alarm-, dr-, freshness-<run id>): there is no run whose approval could count`,
    );
  const expected = { executionId, runId, repository };
  const own = sourceProblem(promote, expected);
  if (own) return refused(`the approval is not this execution's own: ${own}`);

  const chain = chainBack(promote, valid, executionId);
  if ('broken' in chain)
    return refused(`the promote receipt's chain is not this execution's: ${chain.broken}`);
  for (const r of chain.receipts) {
    const problem = sourceProblem(r, expected);
    if (problem)
      return refused(
        `the chain up to the approval holds a receipt from outside the execution's run: ${problem}`,
      );
  }
  const decidedBy = promote.receipt.outputs['decided-by'];
  return {
    verdict: 'allowed',
    run: { runId, repository, workflowFile: workflowFile(promote.receipt.source.workflow) as string },
    chain: chain.receipts.map((r) => r.receipt),
    ...(typeof decidedBy === 'string' && decidedBy ? { decidedBy } : {}),
  };
}

/** Why a receipt is not one the execution's own pipeline run wrote, or undefined when it is. */
function sourceProblem(
  stored: StoredReceipt & { receipt: Receipt },
  expected: { executionId: string; runId: string; repository: string },
): string | undefined {
  const { receipt, key } = stored;
  const name = `${key.split('/').pop()} (${receipt.phase})`;
  if (receipt.execution_id !== expected.executionId)
    return `${name} belongs to execution ${receipt.execution_id}, not ${expected.executionId}: it was copied from another execution`;
  const source = receipt.source;
  if (source.kind !== 'github-actions')
    return `${name} was written from ${describeSource(source)}, not by the pipeline run ${expected.runId}`;
  if (source.run_id !== expected.runId)
    return `${name} was written by ${describeSource(source)}, not by the execution's run ${expected.runId}`;
  if ((source.repository ?? '').toLowerCase() !== expected.repository.toLowerCase())
    return `${name} was written in ${source.repository ?? 'an unknown repository'}, not in ${expected.repository}`;
  const file = workflowFile(source.workflow);
  if (!file || !PIPELINE_WORKFLOWS.includes(file))
    return `${name} was written by ${file ?? 'an unknown workflow'}, which does not run the pipeline (${PIPELINE_WORKFLOWS.join(', ')})`;
  return undefined;
}

/**
 * The receipt and every receipt it links back to, oldest first: each `previous` must name a receipt
 * stored under this execution with exactly that sha256 and the sequence just before, down to sequence 1.
 */
function chainBack(
  from: StoredReceipt & { receipt: Receipt },
  receipts: Array<StoredReceipt & { receipt: Receipt }>,
  executionId: string,
): { receipts: Array<StoredReceipt & { receipt: Receipt }> } | { broken: string } {
  const byKey = new Map(receipts.map((r) => [r.key, r]));
  const chain = [from];
  let current = from;
  while (current.receipt.previous) {
    const link = current.receipt.previous;
    const name = current.key.split('/').pop();
    const before = byKey.get(link.key);
    if (!before) return { broken: `${name} links to ${link.key}, which is not a receipt of ${executionId}` };
    if (before.sha256 !== link.sha256)
      return {
        broken: `${name} links to ${link.key} sha256 ${link.sha256}, but that receipt is ${before.sha256}`,
      };
    if (before.receipt.sequence !== current.receipt.sequence - 1 || chain.length > receipts.length)
      return {
        broken: `${name} (sequence ${current.receipt.sequence}) links to sequence ${before.receipt.sequence}`,
      };
    chain.unshift(before);
    current = before;
  }
  if (current.receipt.sequence !== 1)
    return {
      broken: `${current.key.split('/').pop()} starts the chain at sequence ${current.receipt.sequence}, not 1`,
    };
  return { receipts: chain };
}

/** What GitHub says about the run: its record and its environment review log. */
export interface GitHubReview {
  run: WorkflowRun;
  approvals: RunApproval[];
}

export function judgeApprovalReview(
  claim: RunClaim,
  github: GitHubReview,
  environment: string,
  decidedBy?: string,
): ReviewVerdict {
  const where = `run ${claim.runId} of ${claim.repository}`;
  const disagreements = runDisagreements(claim, github.run);
  if (disagreements.length > 0)
    return refused(`GitHub does not back the promote receipt: ${disagreements.join('; ')}`);
  const decided = github.approvals.filter(
    (a) =>
      (a.state === 'approved' || a.state === 'rejected') &&
      (a.environments ?? []).some((env) => env.name === environment),
  );
  if (decided.length === 0)
    return refused(`GitHub has no decided review of environment '${environment}' on ${where}`);
  const logins = (state: string) =>
    decided.filter((a) => a.state === state).map((a) => a.user?.login ?? 'unknown');
  const rejectedBy = logins('rejected');
  if (rejectedBy.length > 0)
    return refused(`GitHub records a rejection of '${environment}' on ${where} by ${rejectedBy.join(', ')}`);
  const starters = [github.run.actor?.login, github.run.triggering_actor?.login].filter(
    (login): login is string => Boolean(login),
  );
  if (starters.length === 0)
    return refused(
      `GitHub's record of ${where} names nobody who started it: a self-approval cannot be ruled out`,
    );
  const approvedBy = logins('approved');
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const others = approvedBy.filter((login) => !starters.some((s) => same(s, login)));
  if (others.length === 0)
    return refused(
      `'${environment}' on ${where} was approved only by ${approvedBy.join(', ')}, who started the run: a self-approval is not a second person's approval`,
    );
  if (decidedBy && !approvedBy.some((login) => same(login, decidedBy)))
    return refused(
      `the promote receipt says ${decidedBy} decided, but GitHub's review of ${where} was approved by ${approvedBy.join(', ')}`,
    );
  return { verdict: 'allowed', approvedBy: [...new Set(others)] };
}
