import { describe, expect, it } from '@jest/globals';
import type { ListedBackup } from '../../src/backup/catalog.js';
import { openReferences } from '../../src/backup/open-executions.js';
import { compareNewestFirst, newestFirst } from '../../src/backup/ordering.js';
import { isoWeek, planRetention, type RetentionInput } from '../../src/backup/retention.js';
import { rankByCreated } from '../../src/backup/selection.js';

const day = (iso: string) => new Date(`${iso}T03:00:00Z`);
const policy = { keepDaily: 3, keepWeekly: 2, incompleteGraceHours: 24 };
const none = { referenced: new Map<string, string[]>() };

function backups(...items: [string, string, boolean?][]): RetentionInput[] {
  return items.map(([backupId, iso, complete = true]) => ({ backupId, time: new Date(iso), complete }));
}

const actions = (decisions: ReturnType<typeof planRetention>) =>
  Object.fromEntries(decisions.map((d) => [d.backupId, d.action]));

describe('retention plan (restic-style daily and weekly slots, UTC)', () => {
  it('keeps the newest backup of each of the last N days that have one, and of the last M ISO weeks', () => {
    // 2026-11-16 is a Monday (ISO week 47); 2026-11-09..15 is week 46; 2026-11-02..08 week 45.
    const input = backups(
      ['d23-b', '2026-11-23T20:00:00Z'],
      ['d23-a', '2026-11-23T03:00:00Z'],
      ['d21', '2026-11-21T03:00:00Z'],
      ['d20', '2026-11-20T03:00:00Z'],
      ['d19', '2026-11-19T03:00:00Z'],
      ['d14', '2026-11-14T03:00:00Z'],
      ['d10', '2026-11-10T03:00:00Z'],
      ['d03', '2026-11-03T03:00:00Z'],
    );
    const plan = planRetention(input, { ...policy, keepWeekly: 3 }, none, day('2026-11-24'));
    expect(actions(plan)).toEqual({
      'd23-b': 'keep', // daily 2026-11-23, weekly 2026-W48 (Monday 23 November)
      'd23-a': 'delete', // same day, older
      d21: 'keep', // daily, and weekly 2026-W47 (its newest)
      d20: 'keep', // daily
      d19: 'delete', // a fourth day, and not the newest of W47
      d14: 'keep', // weekly 2026-W46
      d10: 'delete', // W46 again, older
      d03: 'delete', // W45: a fourth week
    });
    expect(plan.find((d) => d.backupId === 'd23-b')?.reasons).toEqual([
      'daily 2026-11-23',
      'weekly 2026-W48',
    ]);
  });

  it('never deletes the newest good backup nor one an open execution references, whatever the slots say', () => {
    const input = backups(
      ['new', '2026-11-23T03:00:00Z'],
      ['old', '2026-10-01T03:00:00Z'],
      ['older', '2026-09-01T03:00:00Z'],
    );
    const plan = planRetention(
      input,
      { keepDaily: 0, keepWeekly: 0, incompleteGraceHours: 24 },
      { newestGood: 'old', referenced: new Map([['older', ['dr-42']]]) },
      day('2026-11-24'),
    );
    expect(actions(plan)).toEqual({ new: 'delete', old: 'keep', older: 'keep' });
    expect(plan.find((d) => d.backupId === 'older')?.reasons).toEqual([
      'referenced by open DR execution dr-42',
    ]);
  });

  it('keeps an unfinished backup inside the grace period and deletes it after; it never takes a slot', () => {
    const input = backups(
      ['fresh', '2026-11-24T01:00:00Z', false],
      ['stale', '2026-11-20T01:00:00Z', false],
      ['good', '2026-11-19T03:00:00Z'],
    );
    const plan = planRetention(input, { ...policy, keepDaily: 1 }, none, day('2026-11-24'));
    expect(actions(plan)).toEqual({ fresh: 'keep', stale: 'delete', good: 'keep' });
  });

  it('does not let a pause in backups age the history away (days without backups use no slot)', () => {
    const input = backups(
      ['a', '2026-11-23T03:00:00Z'],
      ['b', '2026-06-01T03:00:00Z'],
      ['c', '2026-05-01T03:00:00Z'],
    );
    expect(actions(planRetention(input, { ...policy, keepWeekly: 0 }, none, day('2026-11-24')))).toEqual({
      a: 'keep',
      b: 'keep',
      c: 'keep',
    });
  });

  it('numbers ISO weeks across the new year', () => {
    expect(isoWeek(new Date('2026-12-31T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-03T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-04T12:00:00Z'))).toBe('2027-W01');
    expect(isoWeek(new Date('2026-11-16T00:00:00Z'))).toBe('2026-W47');
  });
});

describe('open DR executions', () => {
  const now = new Date('2026-11-24T00:00:00Z');
  it('references the backups of executions without a successful teardown, active within open-days', () => {
    const refs = openReferences(
      [
        {
          executionId: 'dr-1',
          lastActivity: new Date('2026-11-20T00:00:00Z'),
          backupUris: ['s3://b/p/backups/x'],
          tornDown: false,
        },
        {
          executionId: 'drill-2',
          lastActivity: new Date('2026-11-23T00:00:00Z'),
          backupUris: ['s3://b/p/backups/x'],
          tornDown: true,
        },
        {
          executionId: 'dr-3',
          lastActivity: new Date('2026-09-01T00:00:00Z'),
          backupUris: ['s3://b/p/backups/y'],
          tornDown: false,
        },
        {
          executionId: 'dr-4',
          lastActivity: new Date('2026-11-23T00:00:00Z'),
          backupUris: ['s3://b/p/backups/x', 's3://b/p/backups/x'],
          tornDown: false,
        },
      ],
      now,
      31,
    );
    expect([...refs.entries()]).toEqual([['s3://b/p/backups/x', ['dr-1', 'dr-4']]]);
  });

  it('19.6: a held backup (future created_utc, or not assessable now) is kept and takes no slot', () => {
    const input: RetentionInput[] = [
      { backupId: 'future', time: new Date('2027-01-10T03:00:00Z'), complete: true, held: 'in the future' },
      { backupId: 'unknown', time: new Date('2026-11-23T05:00:00Z'), complete: true, held: 'not assessed' },
      ...backups(['d23', '2026-11-23T03:00:00Z'], ['d22', '2026-11-22T03:00:00Z']),
    ];
    const plan = planRetention(input, { ...policy, keepDaily: 1, keepWeekly: 0 }, none, day('2026-11-24'));
    // Without the hold, 'unknown' would take 23 November's slot and 'future' a slot of its own.
    expect(actions(plan)).toEqual({ future: 'keep', unknown: 'keep', d23: 'keep', d22: 'delete' });
    expect(plan.find((d) => d.backupId === 'd23')?.reasons).toEqual(['daily 2026-11-23']);
    expect(plan.find((d) => d.backupId === 'future')?.reasons).toEqual(['in the future']);
  });
});

describe('one order of backups for prune and restore-precheck (issue 19.6)', () => {
  const t = new Date('2026-11-23T03:00:00Z');
  it('19.6: newest created_utc first; a tie goes to the greater backup id', () => {
    const ids = newestFirst(
      [
        { createdUtc: t, backupId: 'bk-a' },
        { createdUtc: new Date('2026-11-22T03:00:00Z'), backupId: 'bk-z' },
        { createdUtc: t, backupId: 'bk-c' },
        { createdUtc: t, backupId: 'bk-b' },
      ],
      (b) => b,
    ).map((b) => b.backupId);
    expect(ids).toEqual(['bk-c', 'bk-b', 'bk-a', 'bk-z']);
    expect(compareNewestFirst({ createdUtc: t, backupId: 'x' }, { createdUtc: t, backupId: 'x' })).toBe(0);
  });

  it('19.6: retention (prune) and the precheck ranking put the same backup first on a tie, whatever the input order', () => {
    for (const order of [
      ['bk-a', 'bk-b'],
      ['bk-b', 'bk-a'],
    ]) {
      const listed = (id: string) => ({ location: { backupId: id } }) as unknown as ListedBackup;
      const ranked = rankByCreated(
        order.map((id) => ({
          listed: listed(id),
          metadata: { backupId: id, createdUtc: t, artifacts: {}, imageDigests: [] },
        })),
        new Date('2026-11-23T04:00:00Z'),
        26,
      );
      const kept = planRetention(
        order.map((backupId) => ({ backupId, time: t, complete: true })),
        { keepDaily: 1, keepWeekly: 0, incompleteGraceHours: 24 },
        none,
        new Date('2026-11-23T04:00:00Z'),
      ).filter((d) => d.action === 'keep');
      expect([ranked.eligible[0]?.metadata.backupId, kept.map((d) => d.backupId)]).toEqual([
        'bk-b',
        ['bk-b'],
      ]);
    }
  });
});
