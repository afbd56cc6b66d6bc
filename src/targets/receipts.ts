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
