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

export function executionIdForRun(run: Pick<WorkflowRun, 'id' | 'path'>): string {
  const file = run.path?.split('@')[0]?.split('/').pop() ?? '';
  return `${EXECUTION_ID_PREFIX_BY_WORKFLOW[file] ?? PIPELINE_DEFAULT_PREFIX}-${run.id}`;
}
