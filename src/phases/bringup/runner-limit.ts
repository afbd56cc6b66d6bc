import { describeRunner, type RunnerInstance } from '../../aws/runners.js';

export type LimitVerdict =
  | { ok: true; counted: RunnerInstance[] }
  | { ok: false; counted: RunnerInstance[]; message: string };

/**
 * The per-region runner limit: refused when the live standby runners of OTHER executions already number
 * max-runners (this execution's own runner, on a re-run, does not count against it).
 */
export function checkRunnerLimit(
  live: RunnerInstance[],
  executionId: string,
  maxRunners: number,
  region: string,
): LimitVerdict {
  const counted = live.filter((runner) => runner.executionId !== executionId);
  if (counted.length < maxRunners) return { ok: true, counted };
  const listed = counted.map(describeRunner).join('; ');
  const message =
    `${counted.length} standby runner(s) are already up in ${region} and max-runners is ${maxRunners}: ${listed}. ` +
    'Tear down one you no longer need (DR teardown workflow with its execution id; expired drill runners ' +
    'are removed by the sweeper), or raise STANDBY_MAX_RUNNERS. Nothing was planned.';
  return { ok: false, counted, message };
}
