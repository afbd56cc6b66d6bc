import type { Receipt } from '../receipts/envelope.js';
import type { Finding } from './bundle.js';
import type { BundledReceipt } from './bundled-receipts.js';
import { workflowFile } from './run-kind.js';
import type { OutOfRunReceipt } from './source-proof.js';

/**
 * Who wrote each receipt. Every receipt records the GitHub Actions run (id and attempt) or the terminal
 * that wrote it (src/receipts/source.ts). A receipt is evidence of the execution only when its own run
 * wrote it; anything else is a problem, named, except the receipts that a separate, receipted human act
 * writes by design, for their phase and workflow only; even those count only once GitHub confirms the
 * run (source-proof.ts, `evidence check --verify-sources`):
 *
 *   teardown  ← teardown.yml (manual teardown after a real run) or sweeper.yml (leaked runner swept)
 *   sweep     ← sweeper.yml
 *   activate  ← activate.yml (activation after an approval)
 */
export const OUT_OF_RUN_WORKFLOWS: Readonly<Record<string, readonly string[]>> = {
  teardown: ['teardown.yml', 'sweeper.yml'],
  sweep: ['sweeper.yml'],
  activate: ['activate.yml'],
};

export interface ExpectedRun {
  runId: string;
  repository: string | null;
  decidedBy: 'given' | 'execution id' | 'first receipt';
}

export interface SourceVerdict {
  expectedRun?: ExpectedRun;
  /** Receipts written by another run for a phase that run may write: accepted once GitHub confirms the run. */
  outOfRun: OutOfRunReceipt[];
  /** Receipts whose source is neither the execution's run nor a labelled out-of-run act. */
  foreign: string[];
  problems: Finding[];
  notes: Finding[];
}

/**
 * `drill-123`, `alarm-123`, `dr-123`, `freshness-123`, `gh-123-1-failback-plan` → `123`; a target other
 * than `default` sits between kind and run id (`alarm-orders-123` → `123`, src/targets/receipts.ts).
 */
export function runIdFromExecutionId(executionId: string | undefined): string | undefined {
  return /^(?:drill|alarm|dr|freshness|gh)-(?:[a-z](?:[a-z0-9-]{0,29}[a-z0-9])?-)?(\d+)(?:$|[-.])/.exec(
    executionId ?? '',
  )?.[1];
}

export function describeSource(source: Receipt['source']): string {
  if (source.kind !== 'github-actions') return `a terminal (actor ${source.actor ?? 'unknown'})`;
  const workflow = workflowFile(source.workflow) ?? source.workflow ?? 'an unknown workflow';
  return `run ${source.run_id ?? '?'} attempt ${source.run_attempt ?? '?'} of ${workflow} in ${source.repository ?? 'an unknown repository'}`;
}

export function judgeSources(
  receipts: BundledReceipt[],
  options: { executionId?: string; runId?: string; emulatorAccepted: boolean },
): SourceVerdict {
  const verdict: SourceVerdict = { outOfRun: [], foreign: [], problems: [], notes: [] };
  const expected = expectedRun(receipts, options);
  if (!expected) return terminalOnly(receipts, verdict, options.emulatorAccepted);
  verdict.expectedRun = expected;
  const attempts = new Set<string>();
  for (const r of receipts) {
    const source = r.receipt.source;
    const sameRepo = !expected.repository || !source.repository || source.repository === expected.repository;
    if (source.kind === 'github-actions' && source.run_id === expected.runId && sameRepo) {
      attempts.add(source.run_attempt ?? '?');
      continue;
    }
    const file = workflowFile(source.workflow);
    const allowed = OUT_OF_RUN_WORKFLOWS[r.receipt.phase] ?? [];
    if (source.kind === 'github-actions' && source.run_id && sameRepo && file && allowed.includes(file)) {
      verdict.outOfRun.push({
        path: r.path,
        phase: r.receipt.phase,
        runId: source.run_id,
        workflow: file,
        repository: source.repository ?? expected.repository,
      });
      continue;
    }
    verdict.foreign.push(r.path);
    verdict.problems.push({
      code: 'receipt-foreign-source',
      message: `${r.path} (${r.receipt.phase}, status ${r.receipt.status}) was written from ${describeSource(source)}, not by the execution's run ${expected.runId}: a receipt from outside the run is not evidence of it`,
      path: r.path,
    });
  }
  if (attempts.size > 1)
    verdict.notes.push({
      code: 'run-reattempted',
      message: `receipts come from attempts ${[...attempts].sort().join(', ')} of run ${expected.runId} (jobs were re-run)`,
    });
  return verdict;
}

function expectedRun(
  receipts: BundledReceipt[],
  options: { executionId?: string; runId?: string },
): ExpectedRun | undefined {
  const fromActions = receipts
    .map((r) => r.receipt.source)
    .filter((s) => s.kind === 'github-actions' && s.run_id);
  const given = options.runId ?? runIdFromExecutionId(options.executionId);
  const runId = given ?? fromActions[0]?.run_id ?? undefined;
  if (!runId) return undefined;
  const repository = (fromActions.find((s) => s.run_id === runId) ?? fromActions[0])?.repository ?? null;
  const decidedBy = options.runId ? 'given' : given ? 'execution id' : 'first receipt';
  return { runId, repository, decidedBy };
}

/** No receipt names a run: the whole execution was run from a terminal. */
function terminalOnly(
  receipts: BundledReceipt[],
  verdict: SourceVerdict,
  emulatorAccepted: boolean,
): SourceVerdict {
  if (receipts.length === 0) return verdict;
  const actors = [...new Set(receipts.map((r) => r.receipt.source.actor ?? 'unknown'))].join(', ');
  const finding = {
    code: emulatorAccepted ? 'source-terminal' : 'execution-not-from-a-run',
    message: emulatorAccepted
      ? `all ${receipts.length} receipts were written from a terminal (actor ${actors}): a rehearsal, not tied to a GitHub Actions run`
      : `all ${receipts.length} receipts were written from a terminal (actor ${actors}), not by a GitHub Actions run: anyone with write access to the bucket could have written them; evidence of a real run comes from the pipeline`,
  };
  if (emulatorAccepted) verdict.notes.push(finding);
  else verdict.problems.push(finding);
  return verdict;
}
