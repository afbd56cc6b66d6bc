import type { DrillCost } from '../cost/estimate.js';
import type { ReviewPreview } from '../preview/summary.js';
import type { S3ReceiptStore } from '../receipts/store.js';
import type { Target } from '../targets/target.js';

/** What reviewers see before the gate: gathered from the execution's receipts, never re-measured. */
export interface ReviewerSummary {
  execution_id: string;
  /** What the execution restores (name and kind); absent from summaries written before targets existed. */
  target?: Target;
  environment: string;
  instance_id: string | null;
  image_ref: string | null;
  image_digest: string | null;
  release_metadata: Record<string, unknown>;
  backup: {
    uri: string | null;
    id: string | null;
    created_utc: string | null;
    age_hours: number | null;
    /** Digest-pinned images the backed-up manifests reference (metadata.json, via restore-precheck). */
    image_digests?: string[];
  };
  validation: { result: string | null; job_run_id: string | null };
  /** Workloads restore holds until activation (Kind/name), from the restore receipt (issue 20.4). */
  held?: string[];
  /**
   * What the restore applies, by the restore's own plan, and the diff against the last verified restore
   * (issue 23.4); absent from summaries written before it existed.
   */
  restore_preview?: ReviewPreview;
  /**
   * The drill's cost so far (src/cost, pinned table): the runner counted up to the summary, since teardown
   * has not run yet. Absent from summaries written before it existed.
   */
  cost_so_far?: DrillCost;
  receipts: {
    phase: string;
    status: string;
    attempt: number;
    uri: string;
    sha256: string;
    console_url: string | null;
  }[];
  timeline: { phase: string; status: string; started_at: string; ended_at: string; duration_ms: number }[];
  rto_seconds: number | null;
  rpo_hours: number | null;
  missing: string[];
}

/**
 * The summary reviewers were sent before the gate, read back from the newest request-approval receipt
 * of the execution: the CLI shows what was recorded, it does not measure again.
 */
export async function loadReviewerSummary(
  store: S3ReceiptStore,
): Promise<{ summary?: ReviewerSummary; receiptUri?: string }> {
  const receipts = (await store.list()).filter((r) => r.receipt?.phase === 'request-approval');
  const newest = receipts.sort((a, b) => (a.receipt?.attempt ?? 0) - (b.receipt?.attempt ?? 0)).at(-1);
  const summary = newest?.receipt?.outputs['summary-json'];
  if (!newest || typeof summary !== 'object' || summary === null) return {};
  return { summary: summary as ReviewerSummary, receiptUri: newest.uri };
}
