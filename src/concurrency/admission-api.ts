import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from '../github/repository.js';
import { getWorkflowRun, listRunJobs, listWorkflowRuns } from '../github/runs.js';
import type { WorkflowRun } from '../github/types.js';
import { describeError } from '../util/errors.js';
import {
  type AdmissionVerdict,
  admissionTarget,
  type Candidate,
  decideAdmission,
  IN_FLIGHT_STATUSES,
  REAL_DR_WORKFLOWS,
} from './admission.js';

/**
 * The other real-DR runs in flight, each with its admission job for `target` (one API call per status and
 * workflow, one per run). A run's admission for another target is not this target's: it never blocks.
 */
export async function inFlightRealDr(
  client: GitHubClient,
  repository: RepositoryRef,
  workflows: string[] = REAL_DR_WORKFLOWS,
  target = 'default',
): Promise<Candidate[]> {
  const runs = new Map<number, WorkflowRun>();
  for (const workflow of workflows) {
    for (const status of IN_FLIGHT_STATUSES) {
      for (const run of await listWorkflowRuns(client, repository, workflow, { status, perPage: 100 }))
        if (run.status !== 'completed') runs.set(run.id, run);
    }
  }
  const candidates: Candidate[] = [];
  for (const run of [...runs.values()].sort((a, b) => a.id - b.id)) {
    const jobs = await listRunJobs(client, repository, run.id);
    candidates.push({ run, admission: jobs.find((job) => admissionTarget(job.name) === target) });
  }
  return candidates;
}

/**
 * Admit this run, or drop it because real DR is already in flight. When GitHub cannot be asked (token,
 * outage), the run is admitted unchecked: in a disaster a second standby (its own execution, its own
 * state, bounded by max-runners) is a smaller harm than none.
 */
export async function admit(
  client: GitHubClient,
  repository: RepositoryRef,
  runId: number,
  workflows?: string[],
  target = 'default',
): Promise<AdmissionVerdict> {
  try {
    const me = await getWorkflowRun(client, repository, runId);
    const candidates = await inFlightRealDr(client, repository, workflows, target);
    return decideAdmission(candidates, { runId, createdAt: me.created_at });
  } catch (error) {
    return {
      decision: 'unchecked',
      blocking: [],
      detail: `could not ask GitHub for real DR runs in flight (${describeError(error)}); admitted unchecked`,
    };
  }
}
