import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from '../github/repository.js';
import { repoPath } from '../github/repository.js';
import { listRunJobs } from '../github/runs.js';
import type { WorkflowJob } from '../github/types.js';
import type { Clock } from '../util/clock.js';
import { describeError } from '../util/errors.js';

/**
 * A drill's hold window (docs/workflows.md, "Drills are bounded"). The approval gate can wait up to 30
 * days for a reviewer and its timeout does not bound that, so the drill's standby is held only for the
 * window: the hold job ends as soon as the gate is decided, or when the window is over; teardown follows
 * either way. If the gate is still waiting after teardown, the run cancels itself (release).
 */
export const GATE_JOB = 'approval-gate';

/** The gate job: `approval-gate`, or `<caller job> / approval-gate` when the pipeline is a called workflow. */
export function findGate(jobs: WorkflowJob[], gate = GATE_JOB): WorkflowJob | undefined {
  return jobs.find((job) => job.name === gate || job.name.endsWith(` / ${gate}`));
}

export interface HoldOutcome {
  decided: boolean;
  gate: string;
  waitedMs: number;
}

export async function holdForDecision(
  client: GitHubClient,
  repository: RepositoryRef,
  runId: number,
  options: { windowMs: number; pollMs: number; clock: Clock; progress(line: string): void },
): Promise<HoldOutcome> {
  const started = options.clock.now();
  let gate = 'not seen yet';
  for (;;) {
    try {
      const job = findGate(await listRunJobs(client, repository, runId));
      gate = job ? `${job.status}${job.conclusion ? ` (${job.conclusion})` : ''}` : 'not created yet';
      if (job?.status === 'completed')
        return { decided: true, gate, waitedMs: options.clock.now() - started };
    } catch (error) {
      gate = `unknown (${describeError(error)})`;
    }
    const waitedMs = options.clock.now() - started;
    if (waitedMs + options.pollMs > options.windowMs) return { decided: false, gate, waitedMs };
    options.progress(
      `approval gate ${gate}; ${Math.ceil((options.windowMs - waitedMs) / 60_000)} min left in the hold window`,
    );
    await options.clock.sleep(options.pollMs);
  }
}

/**
 * After teardown: if the gate is still undecided, cancel the run (POST .../runs/{id}/cancel, 'actions:
 * write'), so it does not hold the drill's concurrency group for 30 days. A gate decided meanwhile is
 * left alone: promote records that decision.
 */
export async function releaseUndecided(
  client: GitHubClient,
  repository: RepositoryRef,
  runId: number,
): Promise<{ cancelled: boolean; why: string }> {
  const job = findGate(await listRunJobs(client, repository, runId));
  if (!job) return { cancelled: false, why: 'no approval gate in this run (it never got that far)' };
  if (job.status === 'completed')
    return {
      cancelled: false,
      why: `the gate was decided (${job.conclusion ?? 'completed'}): promote records it`,
    };
  await client.request('POST', `${repoPath(repository)}/actions/runs/${runId}/cancel`);
  return {
    cancelled: true,
    why: `the gate was still ${job.status} after the hold window and teardown: the run cancelled itself`,
  };
}
