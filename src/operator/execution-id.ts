import type { WorkflowRun } from '../github/types.js';

/**
 * The execution id a DR workflow run gives its receipts, as the workflows set it: drill.yml passes
 * drill-<run id>, alarm.yml alarm-<run id>, and the pipeline's own default (freshness-started runs) is
 * dr-<run id>. test/workflows checks this table against the workflow files.
 */
export const EXECUTION_ID_PREFIX_BY_WORKFLOW: Record<string, string> = {
  'drill.yml': 'drill',
  'alarm.yml': 'alarm',
};
export const PIPELINE_DEFAULT_PREFIX = 'dr';

/**
 * A run of target `default` keeps the id it always had; any other target's id names it between the
 * prefix and the run id (drill-orders-<run id>), as the workflows build it.
 */
export function executionIdForRun(run: Pick<WorkflowRun, 'id' | 'path'>, target = 'default'): string {
  const file = run.path?.split('@')[0]?.split('/').pop() ?? '';
  const prefix = EXECUTION_ID_PREFIX_BY_WORKFLOW[file] ?? PIPELINE_DEFAULT_PREFIX;
  return target === 'default' ? `${prefix}-${run.id}` : `${prefix}-${target}-${run.id}`;
}
