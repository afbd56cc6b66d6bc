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

/**
 * The catalogue: every phase the bundle can run, the DR pipeline's first and in its order. It is the one
 * list of phases: the build writes an action.yml per entry, receipts take their phase names from it
 * (PHASES, PIPELINE_PHASES in receipts/envelope.ts), the local rehearsal walks its pipeline phases, and
 * the workflow tests check the workflows' jobs against it. Loading it loads no phase's code (see load()).
 */
export const phaseCatalog = [
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
] as const;

/** A phase of the catalogue, by name. */
export type CatalogPhase = (typeof phaseCatalog)[number]['name'];

/** The phases every complete drill leaves a receipt for, in pipeline order. */
export type PipelinePhase = Extract<(typeof phaseCatalog)[number], { pipeline: true }>['name'];

export function findPhase(name: string): PhaseDefinition {
  // biome-ignore lint/suspicious/noExplicitAny: each phase has its own input and output types
  const phase = (phaseCatalog as readonly PhaseDefinition<any, any>[]).find((p) => p.name === name);
  if (!phase) {
    throw new Error(
      `unknown phase '${name}'; expected one of: ${phaseCatalog.map((p) => p.name).join(', ')}`,
    );
  }
  return phase;
}
