import type { PIPELINE_PHASES } from '../receipts/envelope.js';

/**
 * How .github/workflows/dr-pipeline.yml groups the pipeline's phases into jobs: one job per AWS role
 * (a job runs in one environment and assumes that environment's role), the phases as its steps, in order.
 * Three jobs stand before the approval gate. test/workflows/pipeline-layout.test.ts holds the workflow
 * file to this table, so the failure diagnosis and `standby status` can rely on it.
 */
export const PIPELINE_JOBS = {
  'check-health': ['check-health'],
  'stand-up': ['restore-precheck', 'bringup'],
  recover: ['resolve-runner', 'restore', 'validate', 'notify', 'request-approval'],
  promote: ['promote'],
  teardown: ['teardown'],
} as const satisfies Record<string, readonly (typeof PIPELINE_PHASES)[number][]>;

export type PipelineJob = keyof typeof PIPELINE_JOBS;

/** The jobs on the critical path to the gate, in order. */
export const JOBS_BEFORE_GATE: readonly PipelineJob[] = ['check-health', 'stand-up', 'recover'];

/** The phases a job runs as steps; undefined for a job that runs no phase (the gate, hold, release, ...). */
export function phasesOfJob(job: string): readonly string[] | undefined {
  return Object.hasOwn(PIPELINE_JOBS, job) ? PIPELINE_JOBS[job as PipelineJob] : undefined;
}

/** The job that runs a phase, or undefined for a phase outside the pipeline (failure, failback, ...). */
export function jobOfPhase(phase: string): PipelineJob | undefined {
  return (Object.keys(PIPELINE_JOBS) as PipelineJob[]).find((job) =>
    (PIPELINE_JOBS[job] as readonly string[]).includes(phase),
  );
}

/**
 * Where a job stopped: the first of its phases without an ok receipt (the step that failed, timed out,
 * was cancelled or was running when the runner died), else its last phase. A job that runs no phase is
 * its own answer.
 */
export function phaseWhereJobStopped(job: string, okPhases: ReadonlySet<string>): string {
  const phases = phasesOfJob(job);
  if (!phases) return job;
  return phases.find((phase) => !okPhases.has(phase)) ?? (phases.at(-1) as string);
}
