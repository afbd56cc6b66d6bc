import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { checkDrillEvidence, listDrillExecutions, type ReceiptFolder } from '../operator/drill-evidence.js';
import type { Receipt } from '../receipts/envelope.js';
import { latestReceipt, outputsOf } from '../receipts/outputs.js';
import { S3ReceiptStore } from '../receipts/store.js';
import { RestoreReportSchema } from '../runner/restore-report.js';
import type { PreviousRestore } from './summary.js';

/**
 * The one restore output the preview reads: the runner's report (src/runner/restore-report.ts). Read here,
 * not through the phase's output schema, so the library does not depend on the phase (test/repo/layers).
 */
const RestoreReportOutput = z.object({ report: z.unknown() });

/** The restore a receipt records, as the preview diffs against it; undefined when it recorded none. */
export function previousRestoreOf(
  executionId: string,
  restore: Receipt | undefined,
): PreviousRestore | undefined {
  if (restore?.status !== 'ok') return undefined;
  const outputs = outputsOf(RestoreReportOutput, restore);
  const report = RestoreReportSchema.safeParse(outputs.report);
  if (!report.success) return undefined;
  return {
    executionId,
    applied: report.data.applied,
    appliedTruncated: report.data.applied_truncated,
    images: report.data.workload_images,
    imagesRecorded: 'workload_images' in (outputs.report as object),
  };
}

/**
 * The last verified restore of this deployment: of the newest drills under the receipt folder, the
 * first that `evidence check` verifies (the same judgement as `standby triggers enable`), read from its
 * restore receipt. `exclude` leaves out the execution being previewed (its own restore is not "last").
 */
export async function lastVerifiedRestore(
  s3: S3Client,
  folder: ReceiptFolder,
  options: { maxDrills: number; exclude?: string; progress?: (line: string) => void },
): Promise<{ previous?: PreviousRestore; looked: string[] }> {
  const drills = (await listDrillExecutions(s3, folder)).filter((id) => id !== options.exclude);
  const looked: string[] = [];
  for (const executionId of drills.slice(0, options.maxDrills)) {
    looked.push(executionId);
    const check = await checkDrillEvidence(s3, folder, executionId);
    options.progress?.(`${executionId}: ${check.verified ? 'verified' : 'not verified'}`);
    if (!check.verified) continue;
    const receipts = await new S3ReceiptStore(s3, { ...folder, executionId }).list();
    const restore = latestReceipt(
      receipts.flatMap((r) => (r.receipt ? [r.receipt] : [])),
      'restore',
    );
    const previous = previousRestoreOf(executionId, restore);
    if (previous) return { previous, looked };
  }
  return { looked };
}
