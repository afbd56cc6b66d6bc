import { newestFirst } from './ordering.js';

/**
 * Which backups `standby backup prune` keeps: pure, so every rule is unit-tested.
 *
 * Daily and weekly slots follow restic's `forget --keep-daily/--keep-weekly`: for the last N days (ISO
 * weeks) that have a backup, keep the newest backup of each; days without a backup do not use up a slot,
 * so a pause in backups never ages the history away. Days and weeks are UTC. Whatever the slots say,
 * the newest good backup and every backup an open DR execution references are kept, and so is an
 * unfinished backup (no metadata.json) younger than the grace period: it may still be uploading. A held
 * backup (created in the future, or not assessable right now) is kept and takes no slot. Backups are
 * ordered by the one order restore-precheck uses too (src/backup/ordering.ts).
 */
export interface RetentionInput {
  backupId: string;
  /** created_utc for complete backups; for unfinished ones, when their newest object was written. */
  time: Date;
  complete: boolean;
  /**
   * Why this backup is kept whatever the slots say and takes no slot: its created_utc is in the future,
   * or its state could not be read right now (issue 19.6: unknown is never treated as bad).
   */
  held?: string;
}

export interface RetentionPolicy {
  keepDaily: number;
  keepWeekly: number;
  incompleteGraceHours: number;
}

export type RetentionAction = 'keep' | 'delete';

export interface RetentionDecision {
  backupId: string;
  action: RetentionAction;
  reasons: string[];
}

export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** ISO 8601 week of a UTC date, e.g. 2026-W47 (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(time: Date): string {
  const date = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The newest backup of each of the `count` most recent buckets (days or weeks) that have one. */
function slots(
  complete: RetentionInput[],
  count: number,
  bucketOf: (time: Date) => string,
): Map<string, string> {
  const kept = new Map<string, string>();
  for (const backup of complete) {
    const bucket = bucketOf(backup.time);
    if (kept.has(bucket)) continue;
    if (kept.size >= count) break;
    kept.set(bucket, backup.backupId);
  }
  return new Map([...kept.entries()].map(([bucket, id]) => [id, bucket]));
}

export function planRetention(
  backups: RetentionInput[],
  policy: RetentionPolicy,
  protect: { newestGood?: string; referenced: Map<string, string[]> },
  now: Date,
): RetentionDecision[] {
  const ordered = newestFirst(backups, (b) => ({ createdUtc: b.time, backupId: b.backupId }));
  const complete = ordered.filter((b) => b.complete && !b.held);
  const daily = slots(complete, policy.keepDaily, utcDay);
  const weekly = slots(complete, policy.keepWeekly, isoWeek);
  return ordered.map((backup) => {
    const reasons: string[] = [];
    if (backup.held) reasons.push(backup.held);
    if (backup.backupId === protect.newestGood) reasons.push('newest good backup');
    for (const execution of protect.referenced.get(backup.backupId) ?? [])
      reasons.push(`referenced by open DR execution ${execution}`);
    if (backup.complete) {
      const day = daily.get(backup.backupId);
      if (day) reasons.push(`daily ${day}`);
      const week = weekly.get(backup.backupId);
      if (week) reasons.push(`weekly ${week}`);
    } else {
      const ageHours = (now.getTime() - backup.time.getTime()) / 3_600_000;
      if (ageHours < policy.incompleteGraceHours)
        reasons.push(`unfinished, written ${ageHours.toFixed(1)} h ago: may still be uploading`);
    }
    if (reasons.length > 0) return { backupId: backup.backupId, action: 'keep' as const, reasons };
    return {
      backupId: backup.backupId,
      action: 'delete' as const,
      reasons: [
        backup.complete
          ? 'outside the daily and weekly slots'
          : 'unfinished (no metadata.json) past the grace period',
      ],
    };
  });
}
