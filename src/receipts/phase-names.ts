/**
 * The phase catalogue as data: every phase's name, the DR pipeline's first and in its order, and which are
 * the pipeline. Receipts take their phase names from it (PHASES, PIPELINE_PHASES in envelope.ts); the
 * registry (src/phases/registry.ts) holds one definition per name here, and the compiler checks each
 * definition's name and pipeline flag against this list. It lives below the phases so the receipt
 * schema does not import them.
 */
export const PHASE_ORDER = [
  { name: 'check-health', pipeline: true },
  { name: 'restore-precheck', pipeline: true },
  { name: 'bringup', pipeline: true },
  { name: 'resolve-runner', pipeline: true },
  { name: 'restore', pipeline: true },
  { name: 'validate', pipeline: true },
  { name: 'notify', pipeline: true },
  { name: 'request-approval', pipeline: true },
  { name: 'promote', pipeline: true },
  { name: 'teardown', pipeline: true },
  { name: 'failure', pipeline: false },
  { name: 'sweep', pipeline: false },
  { name: 'backup', pipeline: false },
  { name: 'backup-prune', pipeline: false },
  { name: 'activate', pipeline: false },
] as const;

/** A phase of the catalogue, by name. */
export type CatalogPhase = (typeof PHASE_ORDER)[number]['name'];

/** The phases every complete drill leaves a receipt for, in pipeline order. */
export type PipelinePhase = Extract<(typeof PHASE_ORDER)[number], { pipeline: true }>['name'];
