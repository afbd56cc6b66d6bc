import { verifyAccount } from '../aws/account-guard.js';
import type { AwsClients } from '../aws/clients.js';
import { DEFAULT_TARGET, type Target } from '../targets/target.js';
import type { Receipt } from './envelope.js';
import type { PhaseFailure } from './failure-reasons.js';
import { type PhaseName, RECEIPT_SCHEMA } from './phase-names.js';
import { currentSource } from './source.js';
import { type ReceiptLocation, S3ReceiptStore, type StoredReceipt } from './store.js';

/** What one receipt records beyond the envelope the writer fills in (source, account, region, endpoint). */
export interface ReceiptRecord {
  phase: PhaseName;
  status: Receipt['status'];
  startedAt: Date;
  endedAt: Date;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error?: PhaseFailure | null;
}

/**
 * The one way receipts are written, by phases (runPhase) and by failback's steps alike: the account
 * guard first (nothing is written, receipts included, into an unexpected account), then envelope,
 * sanitiser and the write-once store with its hash chain. Without a location it writes nothing.
 */
export class ReceiptWriter {
  private constructor(
    readonly store: S3ReceiptStore | undefined,
    private readonly aws: AwsClients,
    private readonly accountId: string | undefined,
    private readonly env: NodeJS.ProcessEnv,
    private readonly target: Target,
  ) {}

  /** Runs the account guard (STS GetCallerIdentity); throws when the account is not the expected one. */
  static async open(
    aws: AwsClients,
    options: {
      location?: ReceiptLocation;
      expectedAccount?: string;
      env?: NodeJS.ProcessEnv;
      /** The target every receipt of this writer is for; the default target when not given. */
      target?: Target;
      /**
       * The account guard already under way: verifyAccount(aws.sts, expectedAccount), started by the caller
       * (runPhase starts it before this module loads, so its STS call is in flight meanwhile). Absent: the
       * guard runs here.
       */
      account?: Promise<string | undefined>;
    },
  ): Promise<ReceiptWriter> {
    const accountId = await (options.account ?? verifyAccount(aws.sts, options.expectedAccount));
    const store = options.location ? new S3ReceiptStore(aws.s3, options.location) : undefined;
    return new ReceiptWriter(
      store,
      aws,
      accountId,
      options.env ?? process.env,
      options.target ?? DEFAULT_TARGET,
    );
  }

  /** Writes the next receipt of the execution's chain; undefined when receipts are off. */
  async write(record: ReceiptRecord): Promise<StoredReceipt | undefined> {
    if (!this.store) return undefined;
    return this.store.write({
      schema: RECEIPT_SCHEMA,
      execution_id: this.store.location.executionId,
      target: { ...this.target },
      phase: record.phase,
      status: record.status,
      started_at: record.startedAt.toISOString(),
      ended_at: record.endedAt.toISOString(),
      duration_ms: Math.max(0, record.endedAt.getTime() - record.startedAt.getTime()),
      source: currentSource(this.env),
      aws: {
        account_id: this.accountId ?? null,
        region: this.aws.region,
        endpoint: this.aws.endpoint() ?? null,
      },
      // The store runs everything through the sanitiser (sanitizeDraft): once is enough.
      inputs: record.inputs,
      outputs: record.outputs,
      error: record.error ?? null,
    });
  }
}
