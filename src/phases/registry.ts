import type { PhaseName } from '../receipts/envelope.js';
import { bringup } from './bringup/index.js';
import { checkHealth } from './check-health/index.js';
import type { PhaseDefinition } from './phase.js';
import { teardown } from './teardown/index.js';

/** Every phase the bundle can run, in pipeline order. The build writes one action.yml per entry. */
// biome-ignore lint/suspicious/noExplicitAny: each phase has its own input type
export const phaseCatalog: PhaseDefinition<any>[] = [checkHealth, bringup, teardown];

export function findPhase(name: string): PhaseDefinition {
  const phase = phaseCatalog.find((p) => p.name === (name as PhaseName));
  if (!phase) {
    throw new Error(
      `unknown phase '${name}'; expected one of: ${phaseCatalog.map((p) => p.name).join(', ')}`,
    );
  }
  return phase;
}
