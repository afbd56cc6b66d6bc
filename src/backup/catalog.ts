import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../aws/s3-list.js';
import { BACKUP_ID, type BackupLocation, type BackupPrefix, backupIn, METADATA_FILE } from './layout.js';

export interface ListedObject {
  size: number;
  lastModified: Date;
}

/** One folder under the backups prefix, as the listing shows it (no object is read). */
export interface ListedBackup {
  location: BackupLocation;
  objects: Map<string, ListedObject>;
  /** metadata.json is present: the backup finished (it is written last and once). */
  complete: boolean;
  /** When the newest object of the folder was written: metadata.json's time for complete backups. */
  lastWritten: Date;
}

/** Every backup folder under the prefix, from ListObjectsV2 pages (keys, sizes, times only). */
export async function listBackups(s3: S3Client, prefix: BackupPrefix): Promise<ListedBackup[]> {
  const folders = new Map<string, Map<string, ListedObject>>();
  const start = `${prefix.root}/`;
  for await (const object of listObjects(s3, prefix.bucket, start)) {
    const rest = (object.Key ?? '').slice(start.length);
    const slash = rest.indexOf('/');
    const id = rest.slice(0, slash);
    if (slash <= 0 || !BACKUP_ID.test(id)) continue;
    const objects = folders.get(id) ?? new Map<string, ListedObject>();
    objects.set(rest.slice(slash + 1), {
      size: object.Size ?? 0,
      lastModified: object.LastModified ?? new Date(0),
    });
    folders.set(id, objects);
  }
  return [...folders.entries()].map(([id, objects]) => {
    const times = [...objects.values()].map((o) => o.lastModified.getTime());
    const metadata = objects.get(METADATA_FILE);
    return {
      location: backupIn(prefix, id),
      objects,
      complete: metadata !== undefined,
      lastWritten: metadata?.lastModified ?? new Date(Math.max(...times)),
    };
  });
}
