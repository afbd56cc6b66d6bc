import type { Finding } from './bundle.js';
import type { BundledReceipt } from './bundled-receipts.js';

export interface PhaseOutcome {
  phase: string;
  /** passed: newest receipt ok. not-run: skipped in an accepted emulator rehearsal. Never "passed" for a skip. */
  outcome: 'passed' | 'failed' | 'skipped' | 'not-run' | 'missing';
  attempt?: number;
  path?: string;
}

/**
 * The newest attempt of each phase decides: a failed attempt that a later attempt redid is history, not
 * a failure. A skipped phase fails the check unless the bundle is an accepted emulator rehearsal, and
 * even then it is reported as not run.
 */
export function judgePhases(
  newest: Map<string, BundledReceipt>,
  all: BundledReceipt[],
  required: readonly string[],
  emulatorAccepted: boolean,
): { outcomes: PhaseOutcome[]; problems: Finding[]; notes: Finding[] } {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  const outcomes: PhaseOutcome[] = [];
  // The failure receipt is not a phase outcome: its presence fails the run (below).
  const phases = [...required, ...[...newest.keys()].filter((p) => !required.includes(p) && p !== 'failure')];
  for (const phase of phases) {
    const r = newest.get(phase);
    if (!r) {
      outcomes.push({ phase, outcome: 'missing' });
      problems.push({
        code: 'receipt-missing',
        message: `no ${phase} receipt: the run did not reach ${phase}, or its receipt was not collected`,
      });
      continue;
    }
    const { status, attempt, error } = r.receipt;
    const base = { phase, attempt, path: r.path };
    if (status === 'ok') {
      outcomes.push({ ...base, outcome: 'passed' });
    } else if (status === 'skipped' && emulatorAccepted) {
      outcomes.push({ ...base, outcome: 'not-run' });
      notes.push({
        code: 'phase-not-run',
        message: `${phase} did not run (emulator rehearsal${error ? `: ${error.message}` : ''}); it is not counted as passed`,
        path: r.path,
      });
    } else {
      outcomes.push({ ...base, outcome: status === 'failed' ? 'failed' : 'skipped' });
      problems.push({
        code: 'status-not-ok',
        message: `${phase} (attempt ${attempt}) has status ${status}${error ? `: ${error.message}` : ''}`,
        path: r.path,
      });
    }
  }
  const failure = all.filter((r) => r.receipt.phase === 'failure');
  for (const r of failure) {
    const failed = r.receipt.inputs['failed-phase'];
    problems.push({
      code: 'run-failed',
      message: `the run recorded a failure${typeof failed === 'string' ? ` in ${failed}` : ''} (${r.path})`,
      path: r.path,
    });
  }
  return { outcomes, problems, notes };
}
