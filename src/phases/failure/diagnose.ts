import { jobOfPhase, phasesOfJob, phaseWhereJobStopped } from '../../pipeline/jobs.js';
import { PHASES } from '../../receipts/phase-names.js';
import type { StoredReceipt } from '../../receipts/store.js';

/** One entry of `toJSON(needs)`: what GitHub says about each job the failure job depends on. */
export interface JobResult {
  result: string;
  outputs?: Record<string, string>;
}

export interface Diagnosis {
  phase: string;
  jobResult: string | null;
  message: string;
  reason: string;
  receiptUri: string | null;
  failedJobs: { job: string; result: string }[];
}

/** A job's place in the pipeline: that of its first phase (a job running several phases as steps). */
const pipelineRank = (job: string) => {
  const index = (PHASES as readonly string[]).indexOf(phasesOfJob(job)?.[0] ?? job);
  return index === -1 ? PHASES.length : index;
};

/** Jobs that did not succeed (failure first, then cancelled), in pipeline order. */
export function failedJobs(results: Record<string, JobResult>): { job: string; result: string }[] {
  return Object.entries(results)
    .filter(([, r]) => r.result === 'failure' || r.result === 'cancelled')
    .sort(
      ([a, ra], [b, rb]) =>
        Number(ra.result === 'cancelled') - Number(rb.result === 'cancelled') ||
        pipelineRank(a) - pipelineRank(b),
    )
    .map(([job, r]) => ({ job, result: r.result }));
}

/**
 * Which phase failed and why: the named phase (from the failed job's step outcomes), else where the first
 * failed job stopped (its first phase without an ok receipt), with the error its own receipt recorded.
 * When the phase died before writing a receipt, say so instead of inventing a reason.
 */
export function diagnose(
  results: Record<string, JobResult>,
  receipts: StoredReceipt[],
  namedPhase?: string,
): Diagnosis {
  const failed = failedJobs(results);
  const okPhases = new Set(
    receipts.filter((r) => r.receipt?.status === 'ok').map((r) => r.receipt?.phase as string),
  );
  const firstJob = failed[0]?.job;
  const phase = namedPhase || (firstJob ? phaseWhereJobStopped(firstJob, okPhases) : 'unknown');
  const failedReceipts = receipts
    .filter((r) => r.receipt?.status === 'failed')
    .sort((a, b) => (a.receipt?.sequence ?? 0) - (b.receipt?.sequence ?? 0));
  const own = failedReceipts.filter((r) => r.receipt?.phase === phase).at(-1);
  const job = results[phase] ? phase : (jobOfPhase(phase) ?? phase);
  const jobResult = results[job]?.result ?? null;
  if (own?.receipt?.error) {
    return { phase, jobResult, ...own.receipt.error, receiptUri: own.uri, failedJobs: failed };
  }
  const where = job === phase ? `job '${job}'` : `job '${job}' (phase '${phase}')`;
  const message =
    phase === 'unknown'
      ? 'no job reported failure and no failed receipt was found; see the run log'
      : `${where} ended '${jobResult ?? 'unknown'}' without a failed receipt (it stopped before or outside the phase: a setup step failed, the step timed out or was cancelled, or the runner was lost); see the run log`;
  return {
    phase,
    jobResult,
    message,
    reason: jobResult === 'cancelled' ? 'job_cancelled' : 'job_failed',
    receiptUri: null,
    failedJobs: failed,
  };
}
