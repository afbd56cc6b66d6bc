import { describeRunner, type RunnerInstance } from '../../aws/runners.js';
import { DEFAULT_TARGET } from '../../targets/target.js';
import { type RunnerKind, TAG } from '../../terraform/runner-contract.js';

export type LimitVerdict =
  | { ok: true; counted: RunnerInstance[] }
  | { ok: false; counted: RunnerInstance[]; message: string };

export interface LimitRequest {
  executionId: string;
  /** The execution's target: only that target's runners count (one target's drills never use up another's cap). */
  target: string;
  kind: RunnerKind;
  maxRunners: number;
  region: string;
}

/** The target a runner belongs to: its standby-target tag, `default` on runners from before targets. */
export const runnerTarget = (runner: RunnerInstance) => runner.tags[TAG.target] || DEFAULT_TARGET.name;

/**
 * The runners that count against this execution's limit: the same target's, other executions' (this
 * execution's own runner, on a re-run, does not count). A real DR counts only real-DR runners: drills
 * never keep a target from recovering (docs/terraform.md, "Runner limit"); a drill counts them all.
 */
export function countedRunners(live: RunnerInstance[], request: LimitRequest): RunnerInstance[] {
  return live.filter(
    (runner) =>
      runner.executionId !== request.executionId &&
      runnerTarget(runner) === request.target &&
      (request.kind === 'drill' || runner.kind !== 'drill'),
  );
}

/** The per-target runner limit: refused when the counted runners already number max-runners. */
export function checkRunnerLimit(live: RunnerInstance[], request: LimitRequest): LimitVerdict {
  const { maxRunners, region, target } = request;
  const counted = countedRunners(live, request);
  if (counted.length < maxRunners) return { ok: true, counted };
  const listed = counted.map(describeRunner).join('; ');
  const message =
    `${counted.length} standby runner(s) of target ${target} are already up in ${region} and max-runners is ${maxRunners}: ${listed}. ` +
    'Tear down one you no longer need (DR teardown workflow with its execution id; expired drill runners ' +
    'are removed by the sweeper), or raise STANDBY_MAX_RUNNERS. Nothing was planned.';
  return { ok: false, counted, message };
}
