import { type RecordedCost, recordedCost } from '../cost/recorded.js';
import type { BundledReceipt } from '../evidence/bundled-receipts.js';
import { buildTimeline } from '../evidence/timeline.js';
import type { DrillCheck } from './trigger-gate.js';

/**
 * One DR execution (a drill or a real DR run) as `standby drills` lists it: RTO and RPO as the run report
 * measures them (buildTimeline: RTO from the first receipt to approval-ready, since the trigger time is
 * not in the receipts; RPO the backup age restore-precheck recorded), the recovery-time budget for that
 * run's size, and a verdict from the same evidence check `standby triggers enable` and DrillAge use.
 * Pure: the command reads the receipts, this decides.
 */
export type Verdict = 'verified' | 'unverified' | 'failed';

export interface ExecutionRow {
  executionId: string;
  kind: DrillCheck['kind'];
  startedAt?: string;
  endedAt?: string;
  rtoSeconds?: number;
  rpoHours?: number;
  /** The recovery-time budget (floor) for this run's size. */
  budgetSeconds: number;
  verdict: Verdict;
  /** Why it is not verified: the failed phases, or the evidence check's problem codes. */
  why: string[];
  /** The cost its report receipt recorded (undefined: not recorded). */
  cost?: RecordedCost;
}

/** failed: a phase failed; verified: `evidence check` passes; unverified: neither (incomplete, altered…). */
export function verdictOf(
  check: DrillCheck,
  receipts: BundledReceipt[],
): { verdict: Verdict; why: string[] } {
  const failed = [
    ...new Set(receipts.filter((r) => r.receipt.status === 'failed').map((r) => r.receipt.phase)),
  ];
  if (failed.length > 0) return { verdict: 'failed', why: failed.map((phase) => `${phase} failed`) };
  if (check.verified) return { verdict: 'verified', why: [] };
  return { verdict: 'unverified', why: [...new Set(check.problems.map((p) => p.code))] };
}

export function executionRow(check: DrillCheck, receipts: BundledReceipt[]): ExecutionRow {
  const timeline = buildTimeline(
    check.executionId,
    receipts.map((r) => ({ receipt: r.receipt, file: r.name })),
  );
  return {
    executionId: check.executionId,
    kind: check.kind,
    startedAt: timeline.triggeredAt?.toISOString(),
    endedAt: check.endedAt,
    rtoSeconds: timeline.rtoSeconds,
    rpoHours: timeline.rpoHours,
    budgetSeconds: timeline.budget.totalSeconds,
    ...verdictOf(check, receipts),
    cost: recordedCost(receipts.map((r) => r.receipt)),
  };
}

/** Newest first: by start (then end, then id), executions without a receipt time last. */
export function newestFirst(rows: ExecutionRow[]): ExecutionRow[] {
  const time = (row: ExecutionRow) => Date.parse(row.startedAt ?? row.endedAt ?? '') || 0;
  return [...rows].sort((a, b) => time(b) - time(a) || b.executionId.localeCompare(a.executionId));
}
