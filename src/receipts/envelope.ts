import { z } from 'zod';
import { TARGET_KINDS, TARGET_NAME } from '../targets/target.js';
import { PHASES, RECEIPT_SCHEMA } from './phase-names.js';

// The envelope's names and constants live in phase-names.ts (no zod): the receipt writer and store
// import them from there, so a phase starts without loading zod; they are exported here too.
export {
  FAILBACK_STEPS,
  type FailbackStep,
  PHASES,
  type PhaseName,
  PIPELINE_PHASES,
  RECEIPT_SCHEMA,
} from './phase-names.js';

const ExecutionId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const Timestamp = z.iso.datetime({ offset: false });

export const ReceiptSchema = z
  .object({
    schema: z.literal(RECEIPT_SCHEMA),
    execution_id: ExecutionId,
    /**
     * The target the execution is for (src/targets/target.ts). Every writer records it; receipts written
     * before targets existed have none and were for the default target.
     */
    target: z
      .object({ name: z.string().regex(TARGET_NAME), kind: z.enum(TARGET_KINDS) })
      .strict()
      .optional(),
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
