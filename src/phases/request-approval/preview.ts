import type { S3Client } from '@aws-sdk/client-s3';
import { parseBackupUri } from '../../backup/layout.js';
import type { PlanTarget } from '../../preview/plan.js';
import type { ReviewPreview } from '../../preview/summary.js';
import type { Receipt } from '../../receipts/envelope.js';
import { outputsOf } from '../../receipts/outputs.js';
import type { ReceiptLocation } from '../../receipts/store.js';
import { RestoreReportSchema } from '../../runner/restore-report.js';
import { describeError } from '../../util/errors.js';
import { STATE_BASE } from '../restore/inputs.js';
import { RestoreOutputs } from '../restore/outputs.js';
import { RestorePrecheckOutputs } from '../restore-precheck/outputs.js';

/**
 * What the preview needs, from this execution's receipts: the backup restore-precheck chose, and the
 * namespace, claim and state path the restore phase was given (its recorded inputs, its report's path).
 */
export function previewTarget(
  precheck: Receipt | undefined,
  restore: Receipt | undefined,
): { backupUri: string; target: PlanTarget } | { unavailable: string } {
  const backupUri =
    outputsOf(RestorePrecheckOutputs, precheck)['backup-uri'] ??
    outputsOf(RestoreOutputs, restore)['backup-uri'];
  if (!backupUri) return { unavailable: 'no backup recorded by restore-precheck' };
  const namespace = restore?.inputs.namespace;
  const claim = restore?.inputs['state-claim'];
  if (typeof namespace !== 'string' || typeof claim !== 'string')
    return { unavailable: 'the restore receipt records no namespace and state-claim' };
  const report = RestoreReportSchema.safeParse(outputsOf(RestoreOutputs, restore).report);
  const given = restore?.inputs['restore-path'];
  const restorePath =
    (report.success ? report.data.state?.path : undefined) ??
    (typeof given === 'string' ? given : `${STATE_BASE}/volumes/${namespace}/${claim}`);
  // An eks restore gave the claim a new volume of its storage class and pinned workloads to the execution.
  const storageClass = restore?.inputs['storage-class'];
  const eks =
    restore?.target?.kind === 'eks'
      ? {
          storageClass:
            (report.success ? report.data.state?.storage_class : undefined) ??
            (typeof storageClass === 'string' && storageClass ? storageClass : 'gp3'),
          execution: restore.execution_id,
        }
      : undefined;
  return { backupUri, target: { namespace, claim, restorePath, ...(eks ? { eks } : {}) } };
}

/**
 * The restore preview for the reviewer summary: the same plan restore.sh ran (restore-plan.jq over the
 * backup's manifests) and the diff against the last verified drill of this deployment (not this one).
 * Loaded lazily: only request-approval pays for it. Anything that goes wrong is reported, not thrown:
 * the gate must still be reachable when, say, jq is missing.
 */
export async function previewForReview(
  s3: S3Client,
  receipts: ReceiptLocation,
  latest: { precheck?: Receipt; restore?: Receipt },
  progress: (line: string) => void,
): Promise<ReviewPreview> {
  const wanted = previewTarget(latest.precheck, latest.restore);
  if ('unavailable' in wanted) return wanted;
  try {
    const [{ buildRestorePreview }, { lastVerifiedRestore }] = await Promise.all([
      import('../../preview/build.js'),
      import('../../preview/last-restore.js'),
    ]);
    const { previous } = await lastVerifiedRestore(
      s3,
      { bucket: receipts.bucket, prefix: receipts.prefix },
      { maxDrills: 5, exclude: receipts.executionId, progress },
    );
    const backup = parseBackupUri('backup-uri', wanted.backupUri);
    return { preview: await buildRestorePreview(s3, backup, wanted.target, previous) };
  } catch (error) {
    return { unavailable: describeError(error) };
  }
}
