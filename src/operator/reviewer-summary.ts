import type { ReviewerSummary } from '../phases/request-approval/evidence.js';
import type { S3ReceiptStore } from '../receipts/store.js';

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
