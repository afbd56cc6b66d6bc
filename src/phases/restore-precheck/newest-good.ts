import type { KeyObject } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { type ListedBackup, listBackups } from '../../backup/catalog.js';
import { readMetadata, type VerifyProblemReason, verifyBackup } from '../../backup/check.js';
import type { BackupLocation, BackupPrefix } from '../../backup/layout.js';
import { type BackupMetadata, createdInFuture } from '../../backup/metadata.js';
import { compareNewestFirst } from '../../backup/ordering.js';
import {
  type Candidate,
  candidateOf,
  type Eligible,
  listingMatches,
  rankByCreated,
  splitListing,
  type Verdict,
} from '../../backup/selection.js';
import { checkSignature, type SignatureProblem } from '../../backup/signature-check.js';
import type { ArtifactCheck } from '../../backup/verify.js';
import type { PhaseFailure } from '../../receipts/failure-reasons.js';
import { mapWithConcurrency } from '../../util/concurrency.js';

export interface Search {
  prefix: BackupPrefix;
  now: Date;
  maxAgeHours: number;
  maxCandidates: number;
  concurrency: number;
  progress: (line: string) => void;
  /** Set: a candidate's metadata.json.sig must verify with it before its artifacts are checked. */
  verifyKey?: KeyObject;
}

export interface SearchResult {
  chosen?: Eligible & { checks: ArtifactCheck[] };
  /** Every backup looked at, newest first, with why it was chosen or passed over. */
  candidates: Candidate[];
  /** Unfinished backups too old to list one by one. */
  olderIncomplete: number;
  failure?: PhaseFailure;
}

/** Lists the prefix and reads metadata.json of the backups the age bound allows (no artifact is read). */
export async function rankBackups(s3: S3Client, search: Search) {
  const listing = await listBackups(s3, search.prefix);
  const split = splitListing(listing, search.now, search.maxAgeHours);
  const read = await mapWithConcurrency(split.toRead, search.concurrency, async (listed) => {
    const result = await readMetadata(s3, listed.location);
    return result.kind === 'ok'
      ? { listed, metadata: result.metadata, metadataBytes: result.bytes }
      : {
          listed,
          problem: `${result.reason}: ${result.message}`,
          unavailable: result.reason === 'backup_unavailable' || result.reason === 'backup_unreadable',
        };
  });
  const ranked = rankByCreated(read, search.now, search.maxAgeHours);
  return { listing, split, ranked };
}

export type CandidateProblem = { message: string; reason: VerifyProblemReason | SignatureProblem['reason'] };

/**
 * One candidate, cheapest proof first: with a verification key its metadata.json.sig (one small GET),
 * then every artifact. A backup whose signature fails is passed over without reading its artifacts.
 */
export async function checkCandidate(
  s3: S3Client,
  backup: { location: BackupLocation; metadata: BackupMetadata; metadataBytes?: Uint8Array },
  search: Pick<Search, 'verifyKey' | 'concurrency'>,
): Promise<{ checks: ArtifactCheck[]; problem?: CandidateProblem }> {
  if (search.verifyKey) {
    const problem = backup.metadataBytes
      ? await checkSignature(s3, backup.location, backup.metadataBytes, search.verifyKey)
      : { reason: 'signature_invalid' as const, message: 'metadata.json bytes were not kept to verify' };
    if (problem) return { checks: [], problem };
  }
  return verifyBackup(s3, backup.location, backup.metadata, search.concurrency);
}

/**
 * A candidate's verdict from its problem: only a proof (missing object, mismatch, bad signature) says the
 * backup is bad; a backup S3 did not answer for is unknown, and the next is tried either way.
 */
export function problemVerdict(problem: CandidateProblem): Verdict {
  if (problem.reason === 'signature_invalid') return 'signature_invalid';
  return ['integrity_failed', 'backup_missing'].includes(problem.reason) ? 'integrity_failed' : 'unavailable';
}

function emptyFailure(listing: ListedBackup[], prefixUri: string, maxAgeHours: number): PhaseFailure {
  if (!listing.some((b) => b.complete))
    return {
      reason: 'backup_missing',
      message: `no complete backup (with metadata.json) under ${prefixUri}`,
    };
  return {
    reason: 'backup_too_old',
    message: `no complete backup under ${prefixUri} is younger than max-backup-age-hours=${maxAgeHours}`,
  };
}

/**
 * restore-precheck with a prefix: the newest complete backup within the age bound whose signature (with a
 * verification key) and artifacts prove intact, falling back to the next newest when one fails, up to `maxCandidates` checked. Every backup
 * looked at is recorded with its verdict.
 */
export async function findNewestGood(s3: S3Client, search: Search): Promise<SearchResult> {
  const { listing, split, ranked } = await rankBackups(s3, search);
  const candidates: Candidate[] = [];
  let chosen: SearchResult['chosen'];
  let checked = 0;
  const problems: CandidateProblem[] = [];
  for (const eligible of ranked.eligible) {
    if (chosen) {
      candidates.push(
        candidateOf(eligible.listed, 'not_checked', `a newer backup (${chosen.metadata.backupId}) passed`),
      );
      continue;
    }
    if (checked >= search.maxCandidates) {
      candidates.push(
        candidateOf(eligible.listed, 'not_checked', `max-candidates=${search.maxCandidates} reached`),
      );
      continue;
    }
    checked += 1;
    search.progress(`checking ${eligible.listed.location.uri} (${eligible.ageHours} h old)`);
    const verified = await checkCandidate(s3, { ...eligible, location: eligible.listed.location }, search);
    if (verified.problem) {
      problems.push(verified.problem);
      candidates.push(
        candidateOf(eligible.listed, problemVerdict(verified.problem), verified.problem.message),
      );
      search.progress(`  passed over (${verified.problem.reason}): ${verified.problem.message}`);
    } else {
      chosen = { ...eligible, checks: verified.checks };
      candidates.push(
        candidateOf(
          eligible.listed,
          'chosen',
          search.verifyKey
            ? 'newest complete backup within the age bound, signature and integrity proven'
            : 'newest complete backup within the age bound, integrity proven',
        ),
      );
    }
  }
  // Newest written first, whatever stage passed a backup over.
  const written = new Map(listing.map((b) => [b.location.backupId, b.lastWritten.getTime()]));
  const all = [...candidates, ...ranked.records, ...split.records].sort(
    (a, b) =>
      (written.get(b.backup_id) ?? 0) - (written.get(a.backup_id) ?? 0) ||
      (a.backup_id < b.backup_id ? 1 : -1),
  );
  const result = {
    chosen,
    candidates: all,
    olderIncomplete: split.olderIncomplete,
  };
  if (chosen) return result;
  const failure = checkedFailure(problems);
  if (failure) return { ...result, failure };
  return {
    ...result,
    failure: unusableFailure(ranked.records) ?? emptyFailure(listing, search.prefix.uri, search.maxAgeHours),
  };
}

/**
 * Why no checked backup was chosen. A backup S3 did not answer for (after retries) may be perfectly good,
 * so that outranks a proof against another one: the operator retries rather than distrusts the backups
 * (issue 19.7). Only when every checked backup was proven wrong is it `integrity_failed`.
 */
function checkedFailure(problems: CandidateProblem[]): PhaseFailure | undefined {
  const newest = problems[0];
  if (!newest) return undefined;
  for (const reason of ['backup_unavailable', 'backup_unreadable'] as const) {
    const unknown = problems.find((p) => p.reason === reason);
    if (unknown)
      return {
        reason,
        message: `${problems.length} backup(s) checked, none chosen; S3 could not be read for at least one (${reason === 'backup_unavailable' ? 'not answering after retries: try again' : 'access refused'}), so they are not known to be bad: ${unknown.message}`,
      };
  }
  if (problems.every((p) => p.reason === 'signature_invalid'))
    return {
      reason: 'signature_invalid',
      message: `every backup within the age bound failed signature verification; newest checked: ${newest.message}`,
    };
  return {
    reason: 'integrity_failed',
    message: `every backup within the age bound failed integrity${problems.some((p) => p.reason === 'signature_invalid') ? ' or signature verification' : ''}; newest checked: ${newest.message}`,
  };
}

/**
 * Backups inside the age window whose metadata.json could not be read or parsed: an access error or a
 * broken file, not "too old". At 3 a.m. an AccessDenied must read as what it is.
 */
function unusableFailure(records: Candidate[]): PhaseFailure | undefined {
  const unusable = records.filter(
    (record) => record.verdict === 'metadata_invalid' || record.verdict === 'unavailable',
  );
  const newest = unusable[0];
  if (!newest) return undefined;
  const reason = (['backup_unavailable', 'backup_unreadable'] as const).find((r) =>
    newest.detail.startsWith(r),
  );
  return {
    reason: reason ?? 'metadata_invalid',
    message:
      `${unusable.length} backup(s) within the age bound have a metadata.json that could not be used; ` +
      `newest ${newest.uri}: ${newest.detail}`,
  };
}

/**
 * The freshness schedule's view: the newest complete backup whose listing agrees with its metadata.json
 * (every artifact present with its declared size). It reads only the listing and metadata.json, which is
 * all the detect role may read; integrity by checksum is restore-precheck's job at restore time.
 */
export async function findNewestComplete(
  s3: S3Client,
  search: Omit<Search, 'maxAgeHours'>,
): Promise<{ newest?: { listed: ListedBackup; metadata: BackupMetadata }; candidates: Candidate[] }> {
  // No age bound here: the age is what is measured. Read metadata newest-written first, a few at a time.
  const listing = (await listBackups(s3, search.prefix)).filter((b) => b.complete);
  listing.sort((a, b) => b.lastWritten.getTime() - a.lastWritten.getTime());
  const candidates: Candidate[] = [];
  let newest: { listed: ListedBackup; metadata: BackupMetadata } | undefined;
  for (const listed of listing.slice(0, search.maxCandidates)) {
    const read = await readMetadata(s3, listed.location);
    if (read.kind !== 'ok') {
      candidates.push(candidateOf(listed, 'metadata_invalid', read.message));
      continue;
    }
    const mismatch = listingMatches(listed, read.metadata);
    if (mismatch) {
      candidates.push(candidateOf(listed, 'integrity_failed', mismatch));
      continue;
    }
    if (createdInFuture(read.metadata.createdUtc, search.now)) {
      const when = read.metadata.createdUtc.toISOString();
      candidates.push(candidateOf(listed, 'in_future', `created_utc ${when} is in the future`));
      continue;
    }
    if (!newest || compareNewestFirst(read.metadata, newest.metadata) < 0)
      newest = { listed, metadata: read.metadata };
    candidates.push(candidateOf(listed, 'not_checked', 'complete, sizes match the listing'));
  }
  for (const candidate of candidates)
    if (newest && candidate.backup_id === newest.metadata.backupId) {
      candidate.verdict = 'chosen';
      candidate.detail = 'newest complete backup; sizes match the listing';
    }
  return { newest, candidates };
}
