import { type BudgetContext, rtoBudget } from '../pipeline/budget.js';
import type { Receipt } from '../receipts/envelope.js';

/**
 * One run as time: each receipt's start and end, the measured RTO (trigger → approval-ready) and RPO
 * (backup age at restore), the gate's wait, and the recovery-time budget for a run of this size. Pure:
 * the report, the chart and `standby status` all read this.
 */
export interface TimelineEntry {
  phase: string;
  attempt: number;
  sequence: number;
  status: Receipt['status'];
  start: Date;
  end: Date;
  seconds: number;
  /** The budget's floor for this phase, when it is a phase before the gate. */
  floorSeconds?: number;
  file?: string;
  error: Receipt['error'];
}

export interface RunTimeline {
  executionId: string;
  /** When the RTO clock starts: the given trigger time, else the first receipt's start. */
  triggeredAt?: Date;
  triggerGiven: boolean;
  entries: TimelineEntry[];
  approvalReadyAt?: Date;
  rtoSeconds?: number;
  rpoHours?: number;
  backupCreatedAt?: Date;
  /** The gate: from approval-ready to the decision promote recorded (or to the last receipt, undecided). */
  gate?: { from: Date; to: Date; decided: boolean; seconds: number };
  promotionStatus?: string;
  budget: ReturnType<typeof rtoBudget> & { context: BudgetContext };
}

export interface ReceiptFile {
  receipt: Receipt;
  file?: string;
}

export function buildTimeline(
  executionId: string,
  files: ReceiptFile[],
  options: { triggeredAt?: string } = {},
): RunTimeline {
  const receipts = [...files].sort((a, b) => a.receipt.sequence - b.receipt.sequence);
  const context = budgetContext(receipts.map((f) => f.receipt));
  const budget = { ...rtoBudget(context), context };
  const floors = new Map(budget.lines.map((line) => [line.phase, line.seconds]));
  const entries = receipts.map(({ receipt, file }) => ({
    phase: receipt.phase,
    attempt: receipt.attempt,
    sequence: receipt.sequence,
    status: receipt.status,
    start: new Date(receipt.started_at),
    end: new Date(receipt.ended_at),
    seconds: receipt.duration_ms / 1000,
    floorSeconds: floors.get(receipt.phase),
    file,
    error: receipt.error,
  }));
  const given = options.triggeredAt ? new Date(options.triggeredAt) : undefined;
  const triggerGiven = given !== undefined && Number.isFinite(given.getTime());
  const firstStart = entries.length
    ? new Date(Math.min(...entries.map((e) => e.start.getTime())))
    : undefined;
  const triggeredAt = triggerGiven ? given : firstStart;
  const latest = (phase: string) =>
    receipts.filter((f) => f.receipt.phase === phase && f.receipt.status === 'ok').at(-1)?.receipt;
  const ready = latest('request-approval');
  const precheck = latest('restore-precheck');
  const promote = latest('promote');
  const approvalReadyAt = ready ? new Date(ready.ended_at) : undefined;
  const rtoSeconds =
    approvalReadyAt && triggeredAt ? (approvalReadyAt.getTime() - triggeredAt.getTime()) / 1000 : undefined;
  return {
    executionId,
    triggeredAt,
    triggerGiven,
    entries,
    approvalReadyAt,
    rtoSeconds,
    rpoHours: numberOf(precheck?.outputs['backup-age-hours']),
    backupCreatedAt: dateOf(precheck?.outputs['backup-created-utc']),
    gate: approvalReadyAt ? gateOf(approvalReadyAt, promote, entries) : undefined,
    promotionStatus: stringOf(promote?.outputs['promotion-status']),
    budget,
  };
}

/** The run's size, from its own receipts: pairs checked, and the bytes of the backup precheck proved. */
export function budgetContext(receipts: Receipt[]): BudgetContext {
  const health = receipts.filter((r) => r.phase === 'check-health').at(-1);
  const precheck = receipts.filter((r) => r.phase === 'restore-precheck' && r.status === 'ok').at(-1);
  const pairs = numberOf(health?.outputs['pairs-checked']);
  const checks = precheck?.outputs.integrity;
  const bytes = Array.isArray(checks)
    ? checks.reduce(
        (sum, check) => sum + (numberOf((check as Record<string, unknown>)?.bytes_declared) ?? 0),
        0,
      )
    : undefined;
  return { ...(pairs !== undefined ? { pairs } : {}), ...(bytes ? { backupBytes: bytes } : {}) };
}

function gateOf(from: Date, promote: Receipt | undefined, entries: TimelineEntry[]) {
  const decidedAt = promote ? new Date(promote.started_at) : undefined;
  const lastEnd = new Date(Math.max(...entries.map((e) => e.end.getTime())));
  const to = decidedAt ?? lastEnd;
  return {
    from,
    to,
    decided: decidedAt !== undefined,
    seconds: Math.max(0, (to.getTime() - from.getTime()) / 1000),
  };
}

const numberOf = (value: unknown): number | undefined => {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;
const dateOf = (value: unknown): Date | undefined => {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  return date && Number.isFinite(date.getTime()) ? date : undefined;
};
