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

/**
 * Looks for OK→ALARM followed directly by ALARM→OK, both inside the window. An ALARM reached only
 * because missing data was treated as breaching does not prove the alarm works: it is flagged, and a
 * bundle whose only round trips are of that kind fails.
 */
export function judgeAlarmTransitions(changes: AlarmStateChange[], window: RunWindow): AlarmVerdict {
  const notes: Finding[] = [];
  const inWindow = (c: AlarmStateChange) => c.at >= window.from && c.at <= window.to;
  const span = `${window.from.toISOString()} – ${window.to.toISOString()}`;
  if (changes.length === 0) {
    return {
      problems: [
        {
          code: 'alarm-history-missing',
          message: 'the bundle has no alarm state changes: collect with --alarm-name or --alarm-history-file',
        },
      ],
      notes,
    };
  }
  let genuine: AlarmVerdict['transition'];
  let missingDataOnly = 0;
  const byAlarm = groupBy(changes, (c) => c.alarmName);
  for (const [alarmName, history] of byAlarm) {
    history.forEach((change, index) => {
      if (change.to === 'ALARM' && change.missingData && inWindow(change)) {
        notes.push({
          code: 'alarm-missing-data',
          message: `${alarmName} went to ALARM at ${change.timestamp} because missing data was treated as breaching (${change.reason})`,
        });
      }
      const next = history[index + 1];
      const roundTrip =
        change.from === 'OK' && change.to === 'ALARM' && next?.from === 'ALARM' && next.to === 'OK';
      if (!roundTrip || !inWindow(change) || !inWindow(next)) return;
      if (change.missingData) missingDataOnly++;
      else genuine ??= { alarmName, alarmAt: change.timestamp, okAt: next.timestamp };
    });
  }
  if (genuine) return { transition: genuine, problems: [], notes };
  if (missingDataOnly > 0) {
    return {
      problems: [
        {
          code: 'alarm-missing-data-only',
          message: `the only OK→ALARM→OK round trips in ${span} came from missing data treated as breaching: that proves nothing about the metric; drive the alarm with real datapoints (or set-alarm-state) during the drill`,
        },
      ],
      notes,
    };
  }
  const seen = changes.map((c) => `${c.alarmName} ${c.from}→${c.to} at ${c.timestamp}`).join('; ');
  return {
    problems: [
      {
        code: 'alarm-no-transition',
        message: `no alarm went OK→ALARM→OK inside the run's window ${span}; state changes seen: ${seen}`,
      },
    ],
    notes,
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
