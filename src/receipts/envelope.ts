import { z } from 'zod';

/** Bumped on any change a reader must know about; evidence checks refuse versions they do not know. */
export const RECEIPT_SCHEMA = 'standby.receipt/v1';

/** The DR pipeline's phases in order (SPEC §2): the receipts a complete drill leaves. */
export const PIPELINE_PHASES = [
  'check-health',
  'restore-precheck',
  'bringup',
  'resolve-runner',
  'restore',
  'validate',
  'notify',
  'request-approval',
  'promote',
  'teardown',
] as const;

/** Every receipt's `phase`: the pipeline, its failure path, and the failback steps. */
export const PHASES = [
  ...PIPELINE_PHASES,
  'failure',
  // Failback (docs/failback.md) is an operator procedure, not a pipeline phase: one receipt per step.
  'failback-inputs',
  'failback-verify-before',
  'failback-plan',
  'failback-apply',
  'failback-verify-after',
  // The scheduled sweeper (leaked runners, stale state locks): its own execution, not a pipeline phase.
  'sweep',
  // The data path (issue 12): making and pruning backups, and activating a standby after approval.
  'backup',
  'backup-prune',
  'activate',
] as const;
export type PhaseName = (typeof PHASES)[number];

const ExecutionId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const Timestamp = z.iso.datetime({ offset: false });

export const ReceiptSchema = z
  .object({
    schema: z.literal(RECEIPT_SCHEMA),
    execution_id: ExecutionId,
    phase: z.enum(PHASES),
    attempt: z.number().int().min(1),
    /** Position in the execution's chain: 1 for the first receipt written, previous.sequence + 1 after. */
    sequence: z.number().int().min(1),
    status: z.enum(['ok', 'failed', 'skipped']),
    started_at: Timestamp,
    ended_at: Timestamp,
    duration_ms: z.number().int().min(0),
    source: z.object({
      kind: z.enum(['github-actions', 'cli']),
      repository: z.string().nullable(),
      workflow: z.string().nullable(),
      run_id: z.string().nullable(),
      run_attempt: z.string().nullable(),
      commit: z.string().nullable(),
      actor: z.string().nullable(),
      event: z.string().nullable(),
    }),
    aws: z.object({
      account_id: z.string().nullable(),
      region: z.string(),
      /** Set when the phase talked to an endpoint override (the local emulator); evidence checks notice. */
      endpoint: z.string().nullable(),
    }),
    inputs: z.record(z.string(), z.unknown()),
    outputs: z.record(z.string(), z.unknown()),
    error: z.object({ message: z.string(), reason: z.string() }).nullable(),
    previous: z.object({ key: z.string(), sha256: Sha256Hex }).nullable(),
  })
  .strict();

export type Receipt = z.infer<typeof ReceiptSchema>;

/** Receipt files are canonical JSON (2-space, trailing newline) so their sha256 is stable and readable. */
export function serializeReceipt(receipt: Receipt): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

/** The envelope as JSON Schema, published as docs/receipt.schema.json for readers outside this code. */
export function receiptJsonSchema(): unknown {
  return z.toJSONSchema(ReceiptSchema, { target: 'draft-2020-12' });
}
