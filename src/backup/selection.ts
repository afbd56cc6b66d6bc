import type { ListedBackup } from './catalog.js';
import { assessBackupAge, type BackupMetadata } from './metadata.js';
import { newestFirst } from './ordering.js';

/** Why each backup under the prefix was chosen or passed over (restore-precheck's `candidates` output). */
export type Verdict =
  | 'chosen'
  | 'incomplete'
  | 'metadata_invalid'
  | 'too_old'
  | 'in_future'
  | 'integrity_failed'
  /** A verification key is configured and metadata.json.sig is missing, by another key or does not match. */
  | 'signature_invalid'
  /** S3 did not answer, or refused to show it (after retries): not known to be good or bad. */
  | 'unavailable'
  | 'not_checked';

export interface Candidate {
  backup_id: string;
  uri: string;
  verdict: Verdict;
  detail: string;
}

export interface Eligible {
  listed: ListedBackup;
  metadata: BackupMetadata;
  /** metadata.json as stored: what metadata.json.sig is checked against. */
  metadataBytes?: Uint8Array;
  ageHours: number;
  /** The age line as assessBackupAge worded it, for the summary. */
  ageReason: string;
}

/** Clock skew between S3 and this machine that the listing window allows for. */
const SKEW_HOURS = 5 / 60;

export function candidateOf(listed: ListedBackup, verdict: Verdict, detail: string): Candidate {
  return { backup_id: listed.location.backupId, uri: listed.location.uri, verdict, detail };
}

/**
 * Splits the listing before any object is read. metadata.json is written after created_utc, so a backup
 * whose metadata.json is older than the age bound is too old whatever it says: it is not read. Backups
 * without metadata.json are unfinished (or abandoned) and never candidates; those written inside the
 * window are recorded, older ones only counted.
 */
export function splitListing(listing: ListedBackup[], now: Date, maxAgeHours: number) {
  const horizon = now.getTime() - (maxAgeHours + SKEW_HOURS) * 3_600_000;
  const newestFirst = [...listing].sort(
    (a, b) =>
      b.lastWritten.getTime() - a.lastWritten.getTime() ||
      (a.location.backupId < b.location.backupId ? 1 : -1),
  );
  const toRead: ListedBackup[] = [];
  const records: Candidate[] = [];
  let olderIncomplete = 0;
  for (const listed of newestFirst) {
    const inWindow = listed.lastWritten.getTime() >= horizon;
    if (!listed.complete) {
      if (inWindow)
        records.push(candidateOf(listed, 'incomplete', 'no metadata.json: unfinished or abandoned'));
      else olderIncomplete += 1;
    } else if (inWindow) toRead.push(listed);
    else
      records.push(
        candidateOf(
          listed,
          'too_old',
          `metadata.json written before the max-backup-age-hours=${maxAgeHours} window`,
        ),
      );
  }
  return { toRead, records, olderIncomplete };
}

/**
 * Ranks backups whose metadata was read: newest first in the one order (src/backup/ordering.ts); too old
 * and future ones recorded. A metadata.json S3 did not answer for is `unavailable`, not invalid.
 */
export function rankByCreated(
  read: {
    listed: ListedBackup;
    metadata?: BackupMetadata;
    metadataBytes?: Uint8Array;
    problem?: string;
    unavailable?: boolean;
  }[],
  now: Date,
  maxAgeHours: number,
) {
  const eligible: Eligible[] = [];
  const records: Candidate[] = [];
  for (const { listed, metadata, metadataBytes, problem, unavailable } of read) {
    if (!metadata) {
      const why = problem ?? 'metadata.json could not be read';
      records.push(candidateOf(listed, unavailable ? 'unavailable' : 'metadata_invalid', why));
      continue;
    }
    const age = assessBackupAge(metadata.createdUtc, now, maxAgeHours);
    if (age.ok)
      eligible.push({ listed, metadata, metadataBytes, ageHours: age.ageHours, ageReason: age.reason });
    else records.push(candidateOf(listed, age.ageHours < 0 ? 'in_future' : 'too_old', age.reason));
  }
  return { eligible: newestFirst(eligible, (e) => e.metadata), records };
}

/** The listing agrees with metadata.json: every declared artifact present with its declared size. */
export function listingMatches(listed: ListedBackup, metadata: BackupMetadata): string | undefined {
  for (const [name, spec] of Object.entries(metadata.artifacts)) {
    const object = listed.objects.get(name);
    if (!object) return `${name} is missing`;
    if (object.size !== spec.bytes)
      return `${name} is ${object.size} bytes, metadata.json declares ${spec.bytes}`;
  }
  return undefined;
}
