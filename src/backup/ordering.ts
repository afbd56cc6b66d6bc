/**
 * The one order of backups, newest first, for every place that picks or keeps "the newest": prune (its
 * newest good backup and its slots) and restore-precheck (which backup it restores). Newest created_utc
 * first; a tie is broken by the backup id, the greater id first, so two backups made in the same
 * millisecond are still in one order everywhere and prune never deletes the one restore-precheck would
 * choose (issue 19.6).
 */
export interface Ordered {
  createdUtc: Date;
  backupId: string;
}

export function compareNewestFirst(a: Ordered, b: Ordered): number {
  const byTime = b.createdUtc.getTime() - a.createdUtc.getTime();
  if (byTime !== 0) return byTime;
  return a.backupId === b.backupId ? 0 : a.backupId < b.backupId ? 1 : -1;
}

/** A sorted copy, newest first (compareNewestFirst) by what `key` says of each item. */
export function newestFirst<T>(items: readonly T[], key: (item: T) => Ordered): T[] {
  return [...items].sort((a, b) => compareNewestFirst(key(a), key(b)));
}
