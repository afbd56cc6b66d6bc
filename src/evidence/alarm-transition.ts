import type { AlarmStateChange } from './alarm-history.js';
import type { Finding } from './bundle.js';

export interface RunWindow {
  from: Date;
  to: Date;
}

export interface AlarmVerdict {
  /** An OK→ALARM→OK round trip inside the window whose ALARM came from real data. */
  transition?: { alarmName: string; alarmAt: string; okAt: string };
  problems: Finding[];
  notes: Finding[];
}

export interface AlarmPolicy {
  /** The run must show OK→ALARM→OK (alarm-started runs, and runs of unknown kind). */
  required: boolean;
}

type Change = AlarmStateChange;

/**
 * Looks for OK→ALARM followed directly by ALARM→OK (same alarm), both inside the window. An ALARM reached
 * only because missing data was treated as breaching proves nothing about the metric: when every ALARM in
 * the window is of that kind, each such alarm is named with its transition times, whatever the run's kind.
 * Only a run that must show the round trip fails without one; other runs get a note saying what was seen.
 */
export function judgeAlarmTransitions(
  changes: Change[],
  window: RunWindow,
  policy: AlarmPolicy = { required: true },
): AlarmVerdict {
  const inWindow = (c: Change) => c.at >= window.from && c.at <= window.to;
  const span = `${window.from.toISOString()} – ${window.to.toISOString()}`;
  if (changes.length === 0) {
    const finding = {
      code: policy.required ? 'alarm-history-missing' : 'alarm-history-not-required',
      message: policy.required
        ? 'the bundle has no alarm state changes: collect with --alarm-name or --alarm-history-file'
        : 'no alarm history in the bundle (not required for this kind of run)',
    };
    return policy.required ? { problems: [finding], notes: [] } : { problems: [], notes: [finding] };
  }
  const sorted = [...changes].sort((a, b) => a.at.getTime() - b.at.getTime()); // files may interleave
  const byAlarm = groupBy(sorted, (c) => c.alarmName);
  const notes = missingDataNotes(sorted.filter(inWindow));
  const transition = genuineRoundTrip(byAlarm, inWindow);
  if (transition) return { transition, problems: [], notes };
  const missingOnly = missingDataOnly(byAlarm, inWindow, span);
  if (missingOnly.length > 0) return { problems: missingOnly, notes };
  const seen = sorted.map((c) => `${c.alarmName} ${c.from}→${c.to} at ${c.timestamp}`).join('; ');
  const finding = policy.required
    ? {
        code: 'alarm-no-transition',
        message: `no alarm went OK→ALARM→OK inside the run's window ${span}; state changes seen: ${seen}`,
      }
    : {
        code: 'alarm-not-required',
        message: `no OK→ALARM→OK inside the run's window ${span} (not required for this kind of run); state changes seen: ${seen}`,
      };
  return policy.required ? { problems: [finding], notes } : { problems: [], notes: [...notes, finding] };
}

function genuineRoundTrip(
  byAlarm: Map<string, Change[]>,
  inWindow: (c: Change) => boolean,
): AlarmVerdict['transition'] {
  for (const [alarmName, history] of byAlarm) {
    for (const [index, change] of history.entries()) {
      const next = history[index + 1];
      const roundTrip =
        change.from === 'OK' && change.to === 'ALARM' && next?.from === 'ALARM' && next.to === 'OK';
      if (roundTrip && inWindow(change) && inWindow(next) && !change.missingData)
        return { alarmName, alarmAt: change.timestamp, okAt: next.timestamp };
    }
  }
  return undefined;
}

/** One problem per alarm when every ALARM transition in the window came from missing data. */
function missingDataOnly(
  byAlarm: Map<string, Change[]>,
  inWindow: (c: Change) => boolean,
  span: string,
): Finding[] {
  const alarms = [...byAlarm.values()].flat().filter((c) => c.to === 'ALARM' && inWindow(c));
  if (alarms.length === 0 || alarms.some((c) => !c.missingData)) return [];
  return [...byAlarm]
    .filter(([, history]) => history.some((c) => c.to === 'ALARM' && inWindow(c)))
    .map(([alarmName, history]) => {
      const times = history
        .filter(inWindow)
        .map(
          (c) =>
            `${c.from}→${c.to} at ${c.timestamp}${c.missingData ? ' (missing data treated as breaching)' : ''}`,
        )
        .join(', ');
      return {
        code: 'alarm-missing-data-only',
        message: `${alarmName} went to ALARM in ${span} only because missing data was treated as breaching (${times}): that proves nothing about the metric; drive the alarm with real datapoints (or set-alarm-state) during the run`,
      };
    });
}

function missingDataNotes(changes: Change[]): Finding[] {
  return changes
    .filter((c) => c.to === 'ALARM' && c.missingData)
    .map((c) => ({
      code: 'alarm-missing-data',
      message: `${c.alarmName} went to ALARM at ${c.timestamp} because missing data was treated as breaching (${c.reason})`,
    }));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
