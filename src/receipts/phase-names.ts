/**
 * The phase catalogue as data: every phase's name, the DR pipeline's first and in its order, and which are
 * the pipeline. Receipts take their phase names from it (PHASES, PIPELINE_PHASES below, the envelope's
 * names: envelope.ts holds its zod schema and re-exports these); the registry (src/phases/registry.ts)
 * holds one definition per name here, and the compiler checks each definition's name and pipeline flag
 * against this list. It lives below the phases so the receipt schema does not import them, and it loads
 * no zod, so the receipt writer and store can use it without loading zod as a phase starts.
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

/** Bumped on any change a reader must know about; evidence checks refuse versions they do not know. */
export const RECEIPT_SCHEMA = 'standby.receipt/v1';

/** Failback (docs/failback.md) is an operator procedure, not a phase: one receipt per step. */
export const FAILBACK_STEPS = ['inputs', 'verify-before', 'plan', 'apply', 'verify-after'] as const;
export type FailbackStep = (typeof FAILBACK_STEPS)[number];

/** The DR pipeline's phases in order (docs/architecture.md): the receipts a complete drill leaves. */
export const PIPELINE_PHASES: readonly PipelinePhase[] = PHASE_ORDER.filter((phase) => phase.pipeline).map(
  (phase) => phase.name as PipelinePhase,
);

/** Every receipt's `phase`: the catalogue's phases (pipeline, failure path, operator phases) and failback's steps. */
export const PHASES = [
  ...PHASE_ORDER.map((phase) => phase.name),
  ...FAILBACK_STEPS.map((step) => `failback-${step}` as const),
] as [PhaseName, ...PhaseName[]];
export type PhaseName = CatalogPhase | `failback-${FailbackStep}`;
