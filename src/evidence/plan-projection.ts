import type { Receipt } from '../receipts/envelope.js';

/**
 * What a plan-only drill decided, without the wall clock. Two runs on the same inputs project to the same
 * content: ages, timestamps and plan-file hashes (Terraform plan files embed timestamps) are moved to the
 * run record instead, and check-health's reasons keep their code and subject, not their age-bearing text.
 */
const VOLATILE_OUTPUTS = new Set([
  'freshness-hours',
  'backup-age-hours',
  'backup-created-utc',
  'rto-seconds',
  'rpo-hours',
  'plan-sha256',
  'proceed-reason',
]);

export interface Projection {
  /** Deterministic: hashed into the plan manifest. */
  content: Record<string, unknown>;
  /** Wall-clock and run-specific values: listed in the run record, outside the hashes. */
  volatile: Record<string, unknown>;
}

export function projectReceipt(receipt: Receipt): Projection {
  const stable: Record<string, unknown> = {};
  const volatile: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(receipt.outputs)) {
    if (VOLATILE_OUTPUTS.has(name)) volatile[name] = value;
    else if (name === 'reasons' && Array.isArray(value)) {
      stable[name] = value.map((reason) => ({ code: reason?.code, subject: reason?.subject }));
      volatile[name] = value;
    } else stable[name] = value;
  }
  return {
    content: {
      phase: receipt.phase,
      status: receipt.status,
      execution_id: receipt.execution_id,
      // A plan is for one target: the same inputs for another target (or kind) are another plan.
      ...(receipt.target ? { target: receipt.target } : {}),
      inputs: receipt.inputs,
      outputs: stable,
      error: receipt.error,
    },
    volatile: {
      ...volatile,
      attempt: receipt.attempt,
      sequence: receipt.sequence,
      started_at: receipt.started_at,
      ended_at: receipt.ended_at,
      duration_ms: receipt.duration_ms,
      source: receipt.source,
      aws: receipt.aws,
    },
  };
}

/** JSON with object keys sorted at every depth, 2-space indented, trailing newline: stable bytes. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((key) => [key, sort((v as Record<string, unknown>)[key])]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
