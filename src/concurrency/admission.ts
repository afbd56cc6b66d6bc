import type { WorkflowJob, WorkflowRun } from '../github/types.js';

/**
 * Real-DR admission (docs/workflows.md, "Concurrency"). Every alarm- or schedule-started real DR run
 * first runs a short job named `admission` in the concurrency group `standby-dr-admission`, so
 * admissions happen one at a time. The job asks the API for the other real-DR runs in flight and either
 * runs its ADMITTED step (this run goes on) or its DROPPED step (it records its health and stops).
 * Another admission reads those step conclusions: that is how two alarms at once cannot both start.
 */
export const ADMISSION_GROUP = 'standby-dr-admission';
export const ADMISSION_JOB = 'admission';

/**
 * Admission is per target (SPEC "Targets": one target's real DR never waits behind another's): the job
 * is named `admission (<target>)` and holds `standby-dr-admission-<target>`.
 */
export function admissionGroup(target: string): string {
  return `${ADMISSION_GROUP}-${target}`;
}

export function admissionJobName(target: string): string {
  return `${ADMISSION_JOB} (${target})`;
}

/**
 * The target an admission job is for, from its name as the jobs API shows it: a job of a called workflow
 * is `<caller job> / <job>` (freshness.yml calls freshness-target.yml), and the name before targets,
 * plain `admission`, is target `default`. undefined: not an admission job.
 */
export function admissionTarget(jobName: string): string | undefined {
  const own = jobName.split(' / ').at(-1) ?? '';
  if (own === ADMISSION_JOB) return 'default';
  return /^admission \(([a-z0-9-]+)\)$/.exec(own)?.[1];
}
export const ADMITTED_STEP = 'Admitted: this run starts real DR';
export const DROPPED_STEP = 'Dropped: real DR already in flight';
/** The workflows that start real DR (drills never block, and are never blocked). */
export const REAL_DR_WORKFLOWS = ['alarm.yml', 'freshness.yml'];
/** Run statuses of a run that may still act (GitHub: everything but completed). */
export const IN_FLIGHT_STATUSES = ['queued', 'in_progress', 'waiting', 'pending', 'requested'];

export interface Candidate {
  run: WorkflowRun;
  /** This run's admission job, when GitHub has created it. */
  admission?: WorkflowJob;
}

export type Decision = 'admitted' | 'dropped' | 'unchecked';

export interface AdmissionVerdict {
  decision: Decision;
  /** The runs that made this one drop, with why each counts as real DR in flight. */
  blocking: { runId: number; url: string; why: string }[];
  detail: string;
}

/** Why a run counts as real DR in flight, or undefined when it does not. */
export function blocksAdmission(
  candidate: Candidate,
  me: { runId: number; createdAt: string },
): string | undefined {
  const { run, admission } = candidate;
  if (run.id === me.runId || run.status === 'completed' || !admission) return undefined;
  if (admission.status === 'completed') {
    if (admission.conclusion === 'skipped' || admission.conclusion === 'cancelled') return undefined;
    const dropped = admission.steps?.find((step) => step.name === DROPPED_STEP);
    if (dropped?.conclusion === 'success') return undefined;
    return admission.conclusion === 'success'
      ? 'admitted, still running'
      : `its admission ended ${admission.conclusion ?? 'unknown'} (a failed admission lets real DR start)`;
  }
  // Admissions are serialised: another one running now can only be a view the API has not caught up
  // with. The older run wins, as it would have if the group had ordered them.
  if (
    admission.status === 'in_progress' &&
    (run.created_at < me.createdAt || (run.created_at === me.createdAt && run.id < me.runId))
  )
    return 'admission in progress, started earlier';
  return undefined;
}

export function decideAdmission(
  candidates: Candidate[],
  me: { runId: number; createdAt: string },
): AdmissionVerdict {
  const blocking = candidates.flatMap((candidate) => {
    const why = blocksAdmission(candidate, me);
    return why ? [{ runId: candidate.run.id, url: candidate.run.html_url, why }] : [];
  });
  if (blocking.length === 0)
    return { decision: 'admitted', blocking, detail: 'no other real DR run in flight' };
  return {
    decision: 'dropped',
    blocking,
    detail: blocking.map((b) => `run ${b.runId} (${b.why})`).join('; '),
  };
}
