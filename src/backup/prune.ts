import { DeleteObjectCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../util/concurrency.js';
import { type ListedBackup, listBackups } from './catalog.js';
import { readMetadata, verifyBackup } from './check.js';
import { artifactKey, type BackupPrefix, METADATA_FILE } from './layout.js';
import type { BackupMetadata } from './metadata.js';
import { type ExecutionSummary, openReferences } from './open-executions.js';
import { planRetention, type RetentionDecision, type RetentionPolicy } from './retention.js';
import { listingMatches } from './selection.js';

export interface PruneSurvey {
  listing: ListedBackup[];
  metadata: Map<string, BackupMetadata>;
  newestGood?: string;
  /** backup id → why it is not the newest good (checked newest first). */
  passedOver: Map<string, string>;
}

/**
 * Reads what prune decides on: every backup folder, each complete backup's metadata.json (for
 * created_utc), and the newest good backup: newest created_utc whose listing agrees with its metadata
 * and whose artifacts prove intact (stored checksums; a stream only for backups without them).
 */
export async function surveyBackups(
  s3: S3Client,
  prefix: BackupPrefix,
  maxCandidates: number,
): Promise<PruneSurvey> {
  const listing = await listBackups(s3, prefix);
  const metadata = new Map<string, BackupMetadata>();
  const passedOver = new Map<string, string>();
  await mapWithConcurrency(
    listing.filter((b) => b.complete),
    8,
    async (listed) => {
      const read = await readMetadata(s3, listed.location);
      if (read.kind === 'ok') metadata.set(listed.location.backupId, read.metadata);
      else passedOver.set(listed.location.backupId, read.message);
    },
  );
  const newestFirst = listing
    .filter((b) => metadata.has(b.location.backupId))
    .sort(
      (a, b) =>
        (metadata.get(b.location.backupId)?.createdUtc.getTime() ?? 0) -
        (metadata.get(a.location.backupId)?.createdUtc.getTime() ?? 0),
    );
  let newestGood: string | undefined;
  for (const listed of newestFirst.slice(0, maxCandidates)) {
    const id = listed.location.backupId;
    const meta = metadata.get(id) as BackupMetadata;
    const mismatch = listingMatches(listed, meta);
    const problem = mismatch ?? (await verifyBackup(s3, listed.location, meta, 4)).problem?.message;
    if (!problem) {
      newestGood = id;
      break;
    }
    passedOver.set(id, problem);
  }
  return { listing, metadata, newestGood, passedOver };
}

/** The retention plan over a survey and the open executions' references. */
export function planPrune(
  survey: PruneSurvey,
  executions: ExecutionSummary[],
  policy: RetentionPolicy & { openDays: number },
  now: Date,
): { decisions: RetentionDecision[]; referenced: Map<string, string[]> } {
  const byUri = openReferences(executions, now, policy.openDays);
  const referenced = new Map<string, string[]>();
  for (const listed of survey.listing) {
    const users = byUri.get(listed.location.uri);
    if (users) referenced.set(listed.location.backupId, users);
  }
  const inputs = survey.listing.map((listed) => {
    const meta = survey.metadata.get(listed.location.backupId);
    return {
      backupId: listed.location.backupId,
      // A complete backup whose metadata.json does not parse is kept by slot rules like any other (by
      // its write time): prune never deletes something because it could not read it.
      time: meta?.createdUtc ?? listed.lastWritten,
      complete: listed.complete,
    };
  });
  return {
    decisions: planRetention(inputs, policy, { newestGood: survey.newestGood, referenced }, now),
    referenced,
  };
}

/** Deletes one backup: metadata.json first, so a half-deleted backup is never taken for a complete one. */
export async function deleteBackup(s3: S3Client, listed: ListedBackup): Promise<number> {
  const { bucket } = listed.location;
  if (listed.objects.has(METADATA_FILE))
    await s3.send(
      new DeleteObjectCommand({ Bucket: bucket, Key: artifactKey(listed.location, METADATA_FILE) }),
    );
  const rest = [...listed.objects.keys()].filter((name) => name !== METADATA_FILE);
  for (let i = 0; i < rest.length; i += 1000) {
    const batch = rest.slice(i, i + 1000).map((name) => ({ Key: artifactKey(listed.location, name) }));
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0)
      throw new Error(
        `could not delete ${failed.map((e) => `${e.Key} (${e.Code})`).join(', ')} of ${listed.location.uri}`,
      );
  }
  return listed.objects.size;
}
