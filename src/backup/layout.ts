import { InputError } from '../validation/errors.js';
import { joinKey } from '../validation/primitives.js';
import { parseS3Uri } from '../validation/s3-uri.js';

/** The backup contract (SPEC §2): s3://<bucket>/<prefix>/backups/<backup_id>/{metadata.json, artifacts}. */
export const METADATA_FILE = 'metadata.json';
export const REQUIRED_ARTIFACTS = ['state.tar.zst', 'manifests.tar.zst'] as const;
export const BACKUP_ID = /^[A-Za-z0-9._-]{1,128}$/;

export interface BackupLocation {
  bucket: string;
  /** The key prefix of the backup folder: <prefix>/backups/<backup_id> (no trailing slash). */
  folder: string;
  backupId: string;
  uri: string;
}

/** Parses `s3://<bucket>/<prefix>/backups/<backup_id>` (trailing slash allowed). */
export function parseBackupUri(input: string, raw: string): BackupLocation {
  const { bucket, key } = parseS3Uri(input, raw);
  const match = /^(?:(.+)\/)?backups\/([^/]+)$/.exec(key);
  const backupId = match?.[2];
  if (!match || !backupId || !BACKUP_ID.test(backupId) || /^\.+$/.test(backupId)) {
    throw new InputError(
      input,
      `'${raw}' is not s3://<bucket>/<prefix>/backups/<backup_id> (backup id of A-Z a-z 0-9 . _ -)`,
    );
  }
  return { bucket, folder: key, backupId, uri: `s3://${bucket}/${key}` };
}

export function artifactKey(location: BackupLocation, name: string): string {
  return joinKey(location.folder, name);
}
