import type { FailbackStep, Receipt } from '../receipts/envelope.js';
import type { PhaseFailure } from '../receipts/failure-reasons.js';
import type { ReceiptWriter } from '../receipts/writer.js';

export { FAILBACK_STEPS, type FailbackStep } from '../receipts/envelope.js';

export interface StepRecord {
  step: FailbackStep;
  status: Receipt['status'];
  startedAt: Date;
  endedAt: Date;
  outputs: Record<string, unknown>;
  error?: PhaseFailure;
}

export interface RecordedStep {
  step: FailbackStep;
  status: Receipt['status'];
  uri?: string;
  sha256?: string;
}

/**
 * One receipt per failback step (`failback-<step>.json` in the execution's folder), chained like the
 * pipeline's and written by the same ReceiptWriter phases use. Without a receipt location (a dry run
 * with no receipt bucket) steps are only listed in the report.
 */
export class StepReceipts {
  readonly recorded: RecordedStep[] = [];

  constructor(
    private readonly writer: ReceiptWriter,
    private readonly inputs: Record<string, unknown>,
  ) {}

  /** A step that did not run (a dry run's apply, the steps after a refusal), receipted with why. */
  skip(step: FailbackStep, at: Date, outputs: Record<string, unknown>): Promise<RecordedStep> {
    return this.record({ step, status: 'skipped', startedAt: at, endedAt: at, outputs });
  }

  async record(record: StepRecord): Promise<RecordedStep> {
    const stored = await this.writer.write({
      phase: `failback-${record.step}`,
      status: record.status,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      inputs: this.inputs,
      outputs: { step: record.step, ...record.outputs },
      error: record.error ?? null,
    });
    const recorded = { step: record.step, status: record.status, uri: stored?.uri, sha256: stored?.sha256 };
    this.recorded.push(recorded);
    return recorded;
  }
}
