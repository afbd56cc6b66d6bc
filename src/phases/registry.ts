import type { PhaseName } from '../receipts/envelope.js';
import { activate } from './activate/index.js';
import { backup } from './backup/index.js';
import { backupPrune } from './backup-prune/index.js';
import { bringup } from './bringup/index.js';
import { checkHealth } from './check-health/index.js';
import { failure } from './failure/index.js';
import { notify } from './notify/index.js';
import type { PhaseDefinition } from './phase.js';
import { promote } from './promote/index.js';
import { requestApproval } from './request-approval/index.js';
import { resolveRunner } from './resolve-runner/index.js';
import { restore } from './restore/index.js';
import { restorePrecheck } from './restore-precheck/index.js';
import { sweep } from './sweep/index.js';
import { teardown } from './teardown/index.js';
import { validate } from './validate/index.js';

/** Every phase the bundle can run, in pipeline order. The build writes one action.yml per entry. */
// biome-ignore lint/suspicious/noExplicitAny: each phase has its own input type
export const phaseCatalog: PhaseDefinition<any>[] = [
  checkHealth,
  restorePrecheck,
  bringup,
  resolveRunner,
  restore,
  validate,
  notify,
  requestApproval,
  promote,
  teardown,
  failure,
  sweep,
  backup,
  backupPrune,
  activate,
];

export function findPhase(name: string): PhaseDefinition {
  const phase = phaseCatalog.find((p) => p.name === (name as PhaseName));
  if (!phase) {
    throw new Error(
      `unknown phase '${name}'; expected one of: ${phaseCatalog.map((p) => p.name).join(', ')}`,
    );
  }
  return phase;
}
