import type { Finding } from './bundle.js';
import { RECEIPTS_DIR } from './bundle.js';

/**
 * S3 object versions of an execution's receipts, as `evidence collect` records them in collection.json
 * (from ListObjectVersions and GetBucketVersioning). With versioning Enabled, a PUT over an existing key
 * adds a version and a DELETE adds a delete marker, so an overwrite or a removal leaves a trace that
 * whoever did it cannot remove without s3:DeleteObjectVersion (which Object Lock then refuses). With
 * versioning Suspended, a PUT replaces the `null` version in place and leaves no trace; without versioning
 * there is nothing to see.
 * Sources: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html (Versions and
 * DeleteMarkers with Key, VersionId, IsLatest, LastModified; paged by KeyMarker/VersionIdMarker),
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html
 */
export type VersioningStatus = 'Enabled' | 'Suspended' | 'Disabled' | 'unknown';

export interface ObjectVersionRecord {
  version_id: string;
  latest: boolean;
  last_modified: string | null;
  bytes: number | null;
  delete_marker: boolean;
}

export interface VersionsRecord {
  status: VersioningStatus;
  /** Why the versions could not be read (AccessDenied...), when status is unknown. */
  error: string | null;
  /** Bundle path (`receipts/<file>`) → every version and delete marker of that key, newest first. */
  receipts: Record<string, ObjectVersionRecord[]>;
}

export interface VersionReport {
  status: VersioningStatus | 'not collected';
  /** Per receipt path: how many object versions (delete markers not counted). */
  counts: Record<string, number>;
}

export function receiptPath(fileName: string): string {
  return `${RECEIPTS_DIR}/${fileName}`;
}

/**
 * Pure: each receipt's version count, a problem for any receipt key with more than one version (it was
 * overwritten after it was written) or with a delete marker (it was deleted; the bundle cannot hold it),
 * and a note saying what the bucket's versioning lets the check see.
 */
export function judgeVersions(
  record: VersionsRecord | undefined,
  options: { requireVersioning: boolean },
): { report: VersionReport; problems: Finding[]; notes: Finding[] } {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  if (!record) {
    const finding = {
      code: 'versions-not-collected',
      message:
        'collection.json records no S3 object versions: overwrites and deletions cannot be seen (collect again with this version of standby)',
    };
    (options.requireVersioning ? problems : notes).push(finding);
    return { report: { status: 'not collected', counts: {} }, problems, notes };
  }
  const counts: Record<string, number> = {};
  for (const [path, versions] of Object.entries(record.receipts)) {
    const objects = versions.filter((v) => !v.delete_marker);
    counts[path] = objects.length;
    if (objects.length > 1) {
      const when = objects.map(
        (v) => `${v.version_id} at ${v.last_modified ?? '?'}${v.latest ? ' (current)' : ''}`,
      );
      problems.push({
        code: 'receipt-overwritten',
        message: `${path} has ${objects.length} versions in S3 (${when.join(', ')}): it was overwritten after it was written; the bundle holds the current one. Fetch the others with aws s3api get-object --version-id`,
        path,
      });
    }
    const markers = versions.filter((v) => v.delete_marker);
    if (markers.length > 0) {
      problems.push({
        code: 'receipt-deleted',
        message: `${path} was deleted from S3 (delete marker ${markers.map((m) => `${m.version_id} at ${m.last_modified ?? '?'}`).join(', ')})${markers.some((m) => m.latest) ? ': the bundle cannot hold it' : ''}`,
        path,
      });
    }
  }
  const note = versioningNote(record);
  if (note) (options.requireVersioning ? problems : notes).push(note);
  return { report: { status: record.status, counts }, problems, notes };
}

function versioningNote(record: VersionsRecord): Finding | undefined {
  switch (record.status) {
    case 'Enabled':
      return undefined;
    case 'Suspended':
      return {
        code: 'versioning-suspended',
        message:
          'versioning is Suspended on the receipt bucket: a PUT replaces the null version in place, so an overwrite may leave no trace',
      };
    case 'Disabled':
      return {
        code: 'versioning-off',
        message:
          'versioning is off on the receipt bucket: an overwrite in place leaves no trace (enable versioning and Object Lock, see docs/evidence.md)',
      };
    default:
      return {
        code: 'versions-unknown',
        message: `the receipt versions could not be read at collection (${record.error ?? 'no reason given'}): grant s3:ListBucketVersions and s3:GetBucketVersioning to the collector`,
      };
  }
}
