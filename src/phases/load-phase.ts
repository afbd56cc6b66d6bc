import { type CatalogPhase, PHASE_ORDER } from '../receipts/phase-names.js';
import { quoted } from '../validation/errors.js';
import type { PhaseDefinition } from './phase.js';

// biome-ignore lint/suspicious/noExplicitAny: each phase has its own input and output types
type AnyDefinition = PhaseDefinition<any, any>;

/**
 * One loader per phase of the catalogue, each a dynamic import of that phase's definition alone: ncc
 * makes each its own chunk, so an action entry loads its phase's inputs and outputs, not the fifteen of
 * the catalogue (src/phases/registry.ts, for what needs them all). The definitions are the registry's
 * own objects (the same modules), so both give the same one.
 */
const loaders: Record<CatalogPhase, () => Promise<AnyDefinition>> = {
  'check-health': async () => (await import('./check-health/index.js')).checkHealth,
  'restore-precheck': async () => (await import('./restore-precheck/index.js')).restorePrecheck,
  bringup: async () => (await import('./bringup/index.js')).bringup,
  'resolve-runner': async () => (await import('./resolve-runner/index.js')).resolveRunner,
  restore: async () => (await import('./restore/index.js')).restore,
  validate: async () => (await import('./validate/index.js')).validate,
  notify: async () => (await import('./notify/index.js')).notify,
  'request-approval': async () => (await import('./request-approval/index.js')).requestApproval,
  promote: async () => (await import('./promote/index.js')).promote,
  teardown: async () => (await import('./teardown/index.js')).teardown,
  failure: async () => (await import('./failure/index.js')).failure,
  sweep: async () => (await import('./sweep/index.js')).sweep,
  backup: async () => (await import('./backup/index.js')).backup,
  'backup-prune': async () => (await import('./backup-prune/index.js')).backupPrune,
  activate: async () => (await import('./activate/index.js')).activate,
};

/** The definition of the phase called `name`, loaded alone; an unknown name fails as findPhase does. */
export async function loadPhase(name: string): Promise<PhaseDefinition> {
  const load = Object.hasOwn(loaders, name) ? loaders[name as CatalogPhase] : undefined;
  if (!load) {
    const names = PHASE_ORDER.map((phase) => phase.name).join(', ');
    throw new Error(`unknown phase ${quoted(name)}; expected one of: ${names}`);
  }
  return load();
}
