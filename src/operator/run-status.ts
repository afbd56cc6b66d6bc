import type { PendingDeployment, WorkflowJob, WorkflowRun } from '../github/types.js';
import { phasesOfJob } from '../pipeline/jobs.js';
import { executionIdForRun } from './execution-id.js';

/** Where one DR run stands, from GitHub's view of it. */
export interface RunStatus {
  run_id: number;
  workflow: string | null;
  event: string;
  status: string | null;
  conclusion: string | null;
  html_url: string;
  started_at: string;
  /** The job running or waiting now, else the last one that finished. */
  current_phase: string | null;
  failed_phases: string[];
  waiting_for_approval: { environment: string; you_can_approve: boolean; reviewers: string[] }[];
  execution_id: string;
}

const ACTIVE = new Set(['in_progress', 'queued', 'waiting', 'pending', 'requested']);

/** Reusable-workflow jobs are named "caller / job"; the job is the last part. */
export function phaseOfJob(name: string): string {
  return name.split(' / ').at(-1)?.trim() ?? name;
}

/**
 * The phase a job is at. Jobs that run several phases as steps (stand-up, recover: src/pipeline/jobs.ts)
 * name each phase step after it, so the step running now, else the last phase step that finished, is the
 * phase; a job that failed is at its failed phase step, or at the first of its phases that did not finish
 * (its runner was lost). A job of one phase, or none, is its own name.
 */
export function phaseOfJobNow(job: WorkflowJob): string {
  const name = phaseOfJob(job.name);
  const phases = phasesOfJob(name);
  if (!phases || phases.length < 2 || !job.steps) return name;
  const phaseSteps = job.steps.filter((step) => phases.includes(step.name));
  const failed = phaseSteps.find((step) => step.conclusion === 'failure' || step.conclusion === 'cancelled');
  if (failed) return failed.name;
  const running = phaseSteps.find((step) => step.status === 'in_progress');
  if (running) return running.name;
  if (job.conclusion === 'failure' || job.conclusion === 'cancelled')
    return phaseSteps.find((step) => step.conclusion !== 'success')?.name ?? phases[0] ?? name;
  return phaseSteps.filter((step) => step.conclusion === 'success').at(-1)?.name ?? name;
}

export function summarizeRun(
  run: WorkflowRun,
  jobs: WorkflowJob[],
  pending: PendingDeployment[],
  target = 'default',
): RunStatus {
  const byStart = [...jobs].sort((a, b) => (a.started_at ?? '').localeCompare(b.started_at ?? ''));
  const active = byStart.find((job) => ACTIVE.has(job.status));
  const finished = byStart.filter((job) => job.status === 'completed' && job.conclusion !== 'skipped');
  const current = active ?? finished.at(-1);
  return {
    run_id: run.id,
    workflow: run.name,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    html_url: run.html_url,
    started_at: run.run_started_at ?? run.created_at,
    current_phase: current ? phaseOfJobNow(current) : null,
    failed_phases: jobs.filter((job) => job.conclusion === 'failure').map(phaseOfJobNow),
    waiting_for_approval: pending.map((deployment) => ({
      environment: deployment.environment.name,
      you_can_approve: deployment.current_user_can_approve,
      reviewers: deployment.reviewers.map(
        (r) => r.reviewer.login ?? r.reviewer.slug ?? r.reviewer.name ?? '?',
      ),
    })),
    execution_id: executionIdForRun(run, target),
  };
}
