import { PHASE_ORDER } from '../receipts/phase-names.js';
import { quoted } from '../validation/errors.js';
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

type CatalogEntry = (typeof PHASE_ORDER)[number];

/** One definition per name of the catalogue; the compiler checks each one's name and pipeline flag. */
const definitions = {
  'check-health': checkHealth,
  'restore-precheck': restorePrecheck,
  bringup,
  'resolve-runner': resolveRunner,
  restore,
  validate,
  notify,
  'request-approval': requestApproval,
  promote,
  teardown,
  failure,
  sweep,
  backup,
  'backup-prune': backupPrune,
  activate,
} as const satisfies {
  // biome-ignore lint/suspicious/noExplicitAny: each phase has its own input and output types
  [Entry in CatalogEntry as Entry['name']]: PhaseDefinition<any, any, Entry['name'], Entry['pipeline']>;
};

/**
 * The catalogue: every phase the bundle can run, in the order of PHASE_ORDER (src/receipts/phase-names.ts:
 * the DR pipeline's first and in its order). The build writes an action.yml per entry, the local rehearsal
 * walks its pipeline phases, and the workflow tests check the workflows' jobs against it. Loading it
 * loads no phase's code (see load()).
 */
export const phaseCatalog = PHASE_ORDER.map(({ name }) => definitions[name]);

export function findPhase(name: string): PhaseDefinition {
  // biome-ignore lint/suspicious/noExplicitAny: each phase has its own input and output types
  const phase = (phaseCatalog as readonly PhaseDefinition<any, any>[]).find((p) => p.name === name);
  if (!phase) {
    throw new Error(
      `unknown phase ${quoted(name)}; expected one of: ${phaseCatalog.map((p) => p.name).join(', ')}`,
    );
  }
  return phase;
}
