import type { S3Client } from '@aws-sdk/client-s3';
import type { BackupLocation } from '../backup/layout.js';
import { readBackupManifests } from './manifest-archive.js';
import { computeRestorePlan, type PlanTarget } from './plan.js';
import { diffAgainst, type PreviousRestore, type RestorePreview, unpinnedImages } from './summary.js';

/**
 * The restore preview of one backup: its manifests (downloaded, integrity-checked), the plan restore.sh
 * would apply (restore-plan.jq), and the diff against the previous restore when there is one.
 */
export async function buildRestorePreview(
  s3: S3Client,
  backup: BackupLocation,
  target: PlanTarget,
  previous: PreviousRestore | undefined,
): Promise<RestorePreview> {
  const { files } = await readBackupManifests(s3, backup);
  const plan = computeRestorePlan(files, target);
  return {
    backup_uri: backup.uri,
    namespace: target.namespace,
    plan,
    unpinned: unpinnedImages(plan),
    diff: previous ? diffAgainst(plan, previous) : null,
  };
}
