import type { z } from 'zod';
import type { Receipt } from './envelope.js';

/** The shape of a phase's outputs: a zod object whose fields carry their descriptions (`.describe`). */
export type OutputSchema = z.ZodObject<Record<string, z.ZodType>>;

/**
 * A previous phase's outputs, typed by that phase's own output schema: how phases read each other's
 * receipts. A field that is absent or does not fit the schema (a receipt from an older version) is left
 * out, never guessed.
 */
export function outputsOf<Schema extends OutputSchema>(
  schema: Schema,
  receipt: Pick<Receipt, 'outputs'> | undefined,
): Partial<z.output<Schema>> {
  const read: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const parsed = field.safeParse(receipt?.outputs[name]);
    if (parsed.success && parsed.data !== undefined) read[name] = parsed.data;
  }
  return read as Partial<z.output<Schema>>;
}

/** The newest receipt of a phase (the highest sequence: a retried phase leaves both receipts). */
export function latestReceipt(receipts: Receipt[], phase: Receipt['phase']): Receipt | undefined {
  return receipts.filter((r) => r.phase === phase).sort((a, b) => b.sequence - a.sequence)[0];
}
