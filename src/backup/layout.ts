import { InputError, quoted } from '../validation/errors.js';
import { joinKey } from '../validation/primitives.js';
import { parseS3Uri } from '../validation/s3-uri.js';

/** The backup contract (docs/restore.md): s3://<bucket>/<prefix>/backups/<backup_id>/{metadata.json, artifacts}. */
export const METADATA_FILE = 'metadata.json';
export const REQUIRED_ARTIFACTS = ['state.tar.zst', 'manifests.tar.zst'] as const;
/** `backups` itself is reserved: a URI ending in /backups names the prefix, never a backup. */
export const BACKUP_ID = /^(?!backups$)(?!\.+$)[A-Za-z0-9._-]{1,128}$/;
const BACKUPS_SEGMENT = 'backups';

export interface BackupLocation {
  bucket: string;
  /** The key prefix of the backup folder: <prefix>/backups/<backup_id> (no trailing slash). */
  folder: string;
  backupId: string;
  uri: string;
}

/** Where a primary's backups live: s3://<bucket>/<prefix>/backups/ (every backup is a folder under it). */
export interface BackupPrefix {
  bucket: string;
  /** <prefix>/backups, no trailing slash. */
  root: string;
  uri: string;
}

export type BackupTarget = { kind: 'one'; backup: BackupLocation } | { kind: 'prefix'; prefix: BackupPrefix };

const USAGE =
  's3://<bucket>/<prefix>/backups/ (newest good backup) or s3://<bucket>/<prefix>/backups/<backup_id> (backup id of A-Z a-z 0-9 . _ -)';

/**
 * The two forms of `backup-uri` (the contract in docs/restore.md): the backups prefix, whose last segment is
 * `backups`, or one backup folder directly under it.
 */
export function parseBackupTarget(input: string, raw: string): BackupTarget {
  // No empty segment anywhere (s3://b//backups/ is the key '/backups/', not the bucket root), at most one
  // trailing slash: the URI names exactly the keys it reads.
  if (!/^s3:\/\/[^/]+(\/[^/]+)+\/?$/.test(raw.trim()))
    throw new InputError(input, `${quoted(raw)} is not ${USAGE}`);
  const { bucket, key } = parseS3Uri(input, raw);
  const segments = key === '' ? [] : key.split('/');
  if (segments.at(-1) === BACKUPS_SEGMENT) {
    return { kind: 'prefix', prefix: { bucket, root: key, uri: `s3://${bucket}/${key}/` } };
  }
  if (segments.at(-2) === BACKUPS_SEGMENT) {
    const backupId = segments.at(-1) ?? '';
    if (BACKUP_ID.test(backupId))
      return { kind: 'one', backup: { bucket, folder: key, backupId, uri: `s3://${bucket}/${key}` } };
  }
  throw new InputError(input, `${quoted(raw)} is not ${USAGE}`);
}

/** Parses `s3://<bucket>/<prefix>/backups/<backup_id>` (trailing slash allowed): one backup only. */
export function parseBackupUri(input: string, raw: string): BackupLocation {
  const target = parseBackupTarget(input, raw);
  if (target.kind !== 'one')
    throw new InputError(
      input,
      `${quoted(raw)} names the backups prefix; give one backup: .../backups/<backup_id>`,
    );
  return target.backup;
}

/** Parses the backups prefix only (`backup`, `backup-prune`); one backup's folder is refused. */
export function parseBackupPrefix(input: string, raw: string): BackupPrefix {
  const target = parseBackupTarget(input, raw);
  if (target.kind !== 'prefix')
    throw new InputError(
      input,
      `${quoted(raw)} names one backup; give the prefix s3://<bucket>/<prefix>/backups/`,
    );
  return target.prefix;
}

export function backupIn(prefix: BackupPrefix, backupId: string): BackupLocation {
  const folder = joinKey(prefix.root, backupId);
  return { bucket: prefix.bucket, folder, backupId, uri: `s3://${prefix.bucket}/${folder}` };
}

export function artifactKey(location: BackupLocation, name: string): string {
  return joinKey(location.folder, name);
}
