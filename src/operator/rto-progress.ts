import { buildTimeline, type ReceiptFile } from '../evidence/timeline.js';
import type { WorkflowJob } from '../github/types.js';
import { JOB_OVERHEAD_SECONDS, rtoBudget } from '../pipeline/budget.js';
import { phaseOfJob } from './run-status.js';

/**
 * Where a run stands against its recovery-time budget (docs/benchmarks.md, "Recovery-time budget"): the RTO
 * measured when the run reached approval-ready, else the time so far. From the receipts when they were
 * read (trigger = the first receipt's start, or the trigger time request-approval recorded), else from
 * GitHub's view: the run's start to the end of the `recover` job (request-approval is its last step).
 */
export interface RtoProgress {
  from: string;
  until: string;
  seconds: number;
  /** true: the run reached approval-ready, this is its RTO; false: the clock is still running. */
  reached: boolean;
  floorSeconds: number;
  /** The floors of the phases with an ok receipt, job start-ups included (only with receipts). */
  floorSoFarSeconds?: number;
  basis: 'receipts' | 'jobs';
}

export function rtoProgress(input: {
  runStartedAt: string;
  jobs: WorkflowJob[];
  receipts?: ReceiptFile[];
  now: Date;
}): RtoProgress {
  if (input.receipts && input.receipts.length > 0) return fromReceipts(input.receipts, input.now);
  const recover = input.jobs.find((job) => phaseOfJob(job.name) === 'recover');
  const reached = recover?.conclusion === 'success' && Boolean(recover.completed_at);
  const until = reached ? (recover?.completed_at as string) : input.now.toISOString();
  return {
    from: input.runStartedAt,
    until,
    seconds: seconds(input.runStartedAt, until),
    reached,
    floorSeconds: rtoBudget().totalSeconds,
    basis: 'jobs',
  };
}

function fromReceipts(receipts: ReceiptFile[], now: Date): RtoProgress {
  const executionId = receipts[0]?.receipt.execution_id ?? '';
  const given = receipts.find((r) => r.receipt.phase === 'request-approval')?.receipt.inputs['triggered-at'];
  const timeline = buildTimeline(executionId, receipts, {
    triggeredAt: typeof given === 'string' ? given : undefined,
  });
  const from = (timeline.triggeredAt ?? now).toISOString();
  const until = (timeline.approvalReadyAt ?? now).toISOString();
  const okPhases = new Set(timeline.entries.filter((e) => e.status === 'ok').map((e) => e.phase));
  const done = timeline.budget.lines.filter((line) => okPhases.has(line.phase));
  const jobsStarted = new Set(done.map((line) => line.job)).size;
  return {
    from,
    until,
    seconds: seconds(from, until),
    reached: timeline.approvalReadyAt !== undefined,
    floorSeconds: timeline.budget.totalSeconds,
    floorSoFarSeconds:
      Math.round(
        (done.reduce((sum, line) => sum + line.seconds, 0) + jobsStarted * JOB_OVERHEAD_SECONDS) * 10,
      ) / 10,
    basis: 'receipts',
  };
}

const seconds = (from: string, until: string) => Math.max(0, (Date.parse(until) - Date.parse(from)) / 1000);
