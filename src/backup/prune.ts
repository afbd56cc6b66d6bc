import { DeleteObjectCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../util/concurrency.js';
import { type ListedBackup, listBackups } from './catalog.js';
import { readMetadata, verifyBackup } from './check.js';
import { artifactKey, type BackupPrefix, METADATA_FILE } from './layout.js';
import { type BackupMetadata, createdInFuture } from './metadata.js';
import { type ExecutionSummary, openReferences } from './open-executions.js';
import { newestFirst } from './ordering.js';
import { planRetention, type RetentionDecision, type RetentionPolicy } from './retention.js';
import { listingMatches } from './selection.js';

export interface PruneSurvey {
  listing: ListedBackup[];
  metadata: Map<string, BackupMetadata>;
  newestGood?: string;
  /** backup id → why it is proven not good (checked newest first). */
  passedOver: Map<string, string>;
  /** backup id → its created_utc in the future: never the newest good, never counted, never deleted. */
  inFuture: Map<string, string>;
  /** backup id → why its state could not be read right now: kept, never treated as bad. */
  unknown: Map<string, string>;
  /** Set when backups that may be newer than the newest good one could not be assessed: delete nothing. */
  unassessed?: string;
}

const PROVEN = new Set(['integrity_failed', 'backup_missing', 'metadata_invalid']);

/**
 * Reads what prune decides on: every backup folder, each complete backup's metadata.json (for
 * created_utc), and the newest good backup: first in the one order (src/backup/ordering.ts, the order
 * restore-precheck chooses by) whose listing agrees with its metadata and whose artifacts prove intact
 * (stored checksums; a stream only for backups without them). A future created_utc is set aside; a
 * backup S3 does not answer for (after retries) is unknown, not bad (issue 19.6).
 */
export async function surveyBackups(
  s3: S3Client,
  prefix: BackupPrefix,
  maxCandidates: number,
  now: Date,
): Promise<PruneSurvey> {
  const listing = await listBackups(s3, prefix);
  const metadata = new Map<string, BackupMetadata>();
  const passedOver = new Map<string, string>();
  const inFuture = new Map<string, string>();
  const unknown = new Map<string, string>();
  await mapWithConcurrency(
    listing.filter((b) => b.complete),
    8,
    async (listed) => {
      const id = listed.location.backupId;
      const read = await readMetadata(s3, listed.location);
      if (read.kind === 'ok') metadata.set(id, read.metadata);
      else (PROVEN.has(read.reason) ? passedOver : unknown).set(id, `${read.reason}: ${read.message}`);
    },
  );
  for (const [id, meta] of metadata)
    if (createdInFuture(meta.createdUtc, now))
      inFuture.set(
        id,
        `created_utc ${meta.createdUtc.toISOString()} is in the future (a wrong clock?): never the newest good, takes no slot, not deleted`,
      );
  const candidates = newestFirst(
    listing.filter((b) => metadata.has(b.location.backupId) && !inFuture.has(b.location.backupId)),
    (b) => metadata.get(b.location.backupId) as BackupMetadata,
  );
  let newestGood: ListedBackup | undefined;
  const newerUnknown: string[] = [];
  for (const listed of candidates.slice(0, maxCandidates)) {
    const id = listed.location.backupId;
    const meta = metadata.get(id) as BackupMetadata;
    const mismatch = listingMatches(listed, meta);
    const problem = mismatch
      ? { reason: 'integrity_failed', message: mismatch }
      : (await verifyBackup(s3, listed.location, meta, 4)).problem;
    if (!problem) {
      newestGood = listed;
      break;
    }
    if (PROVEN.has(problem.reason)) passedOver.set(id, problem.message);
    else {
      unknown.set(id, `${problem.reason}: ${problem.message}`);
      newerUnknown.push(id);
    }
  }
  // A complete backup whose metadata.json S3 did not answer for has no known created_utc: it may be
  // newer than the newest good one unless its folder was last written before that one's.
  for (const listed of listing) {
    const id = listed.location.backupId;
    if (!unknown.has(id) || metadata.has(id)) continue;
    if (!newestGood || listed.lastWritten.getTime() >= newestGood.lastWritten.getTime())
      newerUnknown.push(id);
  }
  const unassessed =
    newerUnknown.length > 0
      ? `${newerUnknown.length} backup(s) that may be newer than ${newestGood ? `the newest good one (${newestGood.location.backupId})` : 'any good one'} could not be assessed right now: ${newerUnknown.map((id) => `${id} (${unknown.get(id)})`).join('; ')}`
      : undefined;
  return {
    listing,
    metadata,
    newestGood: newestGood?.location.backupId,
    passedOver,
    inFuture,
    unknown,
    unassessed,
  };
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
    const id = listed.location.backupId;
    const meta = survey.metadata.get(id);
    const future = survey.inFuture.get(id);
    const unknown = survey.unknown.get(id);
    return {
      backupId: id,
      // A complete backup whose metadata.json does not parse is kept by slot rules like any other (by
      // its write time); one that could not be read right now is held: unknown is never bad.
      time: meta?.createdUtc ?? listed.lastWritten,
      complete: listed.complete,
      held: future ?? (unknown ? `could not be assessed right now (${unknown}): kept` : undefined),
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
