import { endpointOverride } from '../aws/clients.js';
import type { PhaseName, Receipt } from '../receipts/envelope.js';
import { sanitizeRecord } from '../receipts/sanitize.js';
import { currentSource } from '../receipts/source.js';
import type { S3ReceiptStore } from '../receipts/store.js';

export const FAILBACK_STEPS = ['inputs', 'verify-before', 'plan', 'apply', 'verify-after'] as const;
export type FailbackStep = (typeof FAILBACK_STEPS)[number];

export interface StepRecord {
  step: FailbackStep;
  status: Receipt['status'];
  startedAt: Date;
  endedAt: Date;
  outputs: Record<string, unknown>;
  error?: { message: string; reason: string };
}

export interface RecordedStep {
  step: FailbackStep;
  status: Receipt['status'];
  uri?: string;
  sha256?: string;
}

/**
 * One receipt per failback step (`failback-<step>.json` in the execution's folder), chained like the
 * pipeline's. Without a store (a dry run with no receipt bucket) steps are only listed in the report.
 */
export class StepReceipts {
  readonly recorded: RecordedStep[] = [];

  constructor(
    private readonly store: S3ReceiptStore | undefined,
    private readonly context: {
      executionId: string;
      region: string;
      accountId?: string;
      inputs: Record<string, unknown>;
    },
  ) {}

  /** A step that did not run (a dry run's apply, the steps after a refusal), receipted with why. */
  skip(step: FailbackStep, at: Date, outputs: Record<string, unknown>): Promise<RecordedStep> {
    return this.record({ step, status: 'skipped', startedAt: at, endedAt: at, outputs });
  }

  async record(record: StepRecord): Promise<RecordedStep> {
    const stored = await this.store?.write({
      schema: 'standby.receipt/v1',
      execution_id: this.context.executionId,
      phase: `failback-${record.step}` as PhaseName,
      status: record.status,
      started_at: record.startedAt.toISOString(),
      ended_at: record.endedAt.toISOString(),
      duration_ms: Math.max(0, record.endedAt.getTime() - record.startedAt.getTime()),
      source: currentSource(),
      aws: {
        account_id: this.context.accountId ?? null,
        region: this.context.region,
        endpoint: endpointOverride() ?? null,
      },
      inputs: sanitizeRecord(this.context.inputs),
      outputs: sanitizeRecord({ step: record.step, ...record.outputs }),
      error: record.error ?? null,
    });
    const recorded = { step: record.step, status: record.status, uri: stored?.uri, sha256: stored?.sha256 };
    this.recorded.push(recorded);
    return recorded;
  }
}
