import { joinKey } from '../validation/primitives.js';
import { DEFAULT_TARGET } from './target.js';

/**
 * Where a target's receipts live (docs/workflows.md, "Targets"): target `default` keeps the deployment's
 * receipt prefix, as before targets existed; every other target has its own folder `targets/<name>` under
 * it. Execution ids never start with `targets/`, so readers of one target's folder (which list
 * `<execution>/<file>` keys only) never read another's. The workflows build the same prefix in their
 * RECEIPT_PREFIX expression (test/workflows/targets.test.ts holds the two to each other).
 */
export function targetReceiptPrefix(basePrefix: string, target: string): string {
  return target === DEFAULT_TARGET.name ? basePrefix : joinKey(basePrefix, 'targets', target);
}

/**
 * The target an execution id names, as the workflows build ids (docs/workflows.md, "Targets"):
 * `<kind>-<target>-<run id>` for a target other than `default`, `<kind>-<run id>` for `default` (kinds
 * drill, alarm, dr, freshness). Anything else (local rehearsals, failback ids) is target `default`.
 * teardown.yml and activate.yml read the same rule in shell (test/fixtures/execution-target-cases.json
 * holds both).
 */
const TARGETED_EXECUTION = /^(?:drill|alarm|dr|freshness)-([a-z](?:[a-z0-9-]{0,29}[a-z0-9])?)-[0-9]+$/;

export function targetOfExecutionId(executionId: string): string {
  return TARGETED_EXECUTION.exec(executionId)?.[1] ?? DEFAULT_TARGET.name;
}

/** The receipts folder of an execution: its target's, under the deployment's receipt prefix. */
export function executionReceiptPrefix(basePrefix: string, executionId: string): string {
  return targetReceiptPrefix(basePrefix, targetOfExecutionId(executionId));
}
