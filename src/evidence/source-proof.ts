import type { WorkflowRun } from '../github/types.js';
import type { Finding } from './bundle.js';
import { runDisagreements } from './run-record.js';

/**
 * Receipts written outside the execution's run (a manual teardown, a sweep, an activation: sources.ts)
 * are what their writer said, and anyone with write access to the bucket can write one (issue 19.2).
 * Such a receipt counts only once GitHub confirms its source: the run exists in the repository, ran the
 * workflow file the receipt names, on the protected branch, and succeeded. Without GitHub access it
 * leaves the verdict unverified (a problem that says how to prove it), never verified. Pure: the caller
 * (`evidence check --verify-sources`) fetched the runs.
 */
export interface OutOfRunReceipt {
  path: string;
  phase: string;
  runId: string;
  /** The workflow file the receipt names, e.g. teardown.yml. */
  workflow: string;
  repository: string | null;
}

/** GitHub's answer for one run id: its record, or why there is none (404, no access). */
export type RunLookup = { run: WorkflowRun } | { missing: string };

export interface SourceProofs {
  /** run id → GitHub's answer. */
  runs: Readonly<Record<string, RunLookup>>;
  /** The branch the runs must have run on (the repository's default branch). */
  protectedBranch: string;
}

export function judgeOutOfRun(
  receipts: readonly OutOfRunReceipt[],
  proofs: SourceProofs | undefined,
): { problems: Finding[]; notes: Finding[] } {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  for (const r of receipts) {
    const what = `${r.path} (${r.phase}) says run ${r.runId} of ${r.workflow} wrote it`;
    if (!proofs) {
      problems.push({
        code: 'receipt-source-unproven',
        message: `${what}, outside the execution's run: not proven, so the bundle is not verified. Prove it with \`standby evidence check --verify-sources\` (GH_TOKEN with actions: read)`,
        path: r.path,
      });
      continue;
    }
    const lookup = proofs.runs[r.runId];
    const disagreements = !lookup
      ? ['it was not looked up']
      : 'missing' in lookup
        ? [lookup.missing]
        : runDisagreements(
            { runId: r.runId, repository: r.repository ?? '', workflowFile: r.workflow },
            lookup.run,
            { branch: proofs.protectedBranch, succeeded: true },
          );
    if (disagreements.length > 0) {
      problems.push({
        code: 'receipt-source-unproven',
        message: `${what}, but GitHub does not back it: ${disagreements.join('; ')}`,
        path: r.path,
      });
      continue;
    }
    notes.push({
      code: 'receipt-out-of-run',
      message: `${what}, outside the execution's run: confirmed with GitHub (run ${r.runId} ran .github/workflows/${r.workflow} on '${proofs.protectedBranch}' and succeeded)`,
      path: r.path,
    });
  }
  return { problems, notes };
}
