import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseAlarmHistory } from '../../src/evidence/alarm-history.js';
import { judgeAlarmTransitions } from '../../src/evidence/alarm-transition.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/aws/${name}`, import.meta.url), 'utf8');
/** The window a run from 21:05Z to 21:06Z gets with the default 60-minute lead and trail. */
const window = { from: new Date('2026-11-21T20:05:00Z'), to: new Date('2026-11-21T22:06:00Z') };

describe('parseAlarmHistory (describe-alarm-history output as AWS prints it)', () => {
  it('reads newest-first items with local offsets and microseconds into UTC, oldest first', () => {
    const { changes, findings } = parseAlarmHistory(fixture('describe-alarm-history.json'), 'alarms/a.json');
    expect(findings).toEqual([]);
    expect(changes.map((c) => [c.at.toISOString(), c.from, c.to])).toEqual([
      ['2026-11-21T19:35:02.000Z', 'INSUFFICIENT_DATA', 'OK'],
      ['2026-11-21T21:04:11.903Z', 'OK', 'ALARM'],
      ['2026-11-21T21:40:07.512Z', 'ALARM', 'OK'],
    ]);
    expect(changes[1]?.timestamp).toBe('2026-11-21T16:04:11.903114-05:00');
    expect(changes.every((c) => c.decodedFrom === 'HistoryData')).toBe(true);
    expect(changes[1]?.reason).toMatch(/was greater than the threshold/);
    expect(changes.some((c) => c.missingData)).toBe(false);
  });

  it('skips Action and ConfigurationUpdate items (they are not state changes)', () => {
    const { changes } = parseAlarmHistory(fixture('describe-alarm-history.json'), 'a.json');
    expect(changes).toHaveLength(3);
  });

  it('reads a file of saved pages (with NextToken) and falls back to HistorySummary without HistoryData', () => {
    const { changes, findings } = parseAlarmHistory(fixture('describe-alarm-history-pages.json'), 'p.json');
    expect(findings).toEqual([]);
    expect(changes.map((c) => [c.from, c.to, c.decodedFrom])).toEqual([
      ['OK', 'ALARM', 'HistorySummary'],
      ['ALARM', 'OK', 'HistoryData'],
    ]);
  });

  it('treats HistoryData that is not a JSON string as absent and uses HistorySummary', () => {
    const text = JSON.stringify({
      AlarmHistoryItems: [
        {
          AlarmName: 'x',
          Timestamp: '2026-11-21T21:00:00.000001+00:00',
          HistoryItemType: 'StateUpdate',
          HistoryData: { oldState: { stateValue: 'ALARM' }, newState: { stateValue: 'INSUFFICIENT_DATA' } },
          HistorySummary: 'Alarm updated from OK to ALARM',
        },
      ],
    });
    const { changes } = parseAlarmHistory(text, 'x.json');
    expect(changes[0]).toMatchObject({ from: 'OK', to: 'ALARM', decodedFrom: 'HistorySummary' });
  });

  it('flags an ALARM reached because missing data was treated as breaching', () => {
    const { changes } = parseAlarmHistory(fixture('describe-alarm-history-missing-data.json'), 'm.json');
    expect(changes.find((c) => c.to === 'ALARM')?.missingData).toBe(true);
  });

  it('reports items it cannot read instead of dropping them', () => {
    const text = JSON.stringify({
      AlarmHistoryItems: [
        {
          AlarmName: 'x',
          Timestamp: 'Sat Nov 21 2026',
          HistoryItemType: 'StateUpdate',
          HistorySummary: 'Alarm updated from OK to ALARM',
        },
        {
          AlarmName: 'x',
          Timestamp: '2026-11-21T21:00:00Z',
          HistoryItemType: 'StateUpdate',
          HistorySummary: 'something else',
        },
      ],
    });
    const { changes, findings } = parseAlarmHistory(text, 'bad.json');
    expect(changes).toEqual([]);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('bad.json item 1: StateUpdate without an AlarmName or an ISO-8601 Timestamp'),
      expect.stringContaining('bad.json item 2: neither HistoryData nor HistorySummary'),
    ]);
    expect(parseAlarmHistory('{"Items": []}', 'y.json').findings[0]?.message).toMatch(
      /no AlarmHistoryItems array/,
    );
    expect(parseAlarmHistory('not json', 'z.json').findings[0]?.code).toBe('alarm-history-invalid');
  });
});

describe('judgeAlarmTransitions', () => {
  const changesOf = (name: string) => parseAlarmHistory(fixture(name), name).changes;

  it('finds OK→ALARM→OK inside the window', () => {
    const verdict = judgeAlarmTransitions(changesOf('describe-alarm-history.json'), window);
    expect(verdict.problems).toEqual([]);
    expect(verdict.transition).toEqual({
      alarmName: 'standby-pipeline-stale',
      alarmAt: '2026-11-21T16:04:11.903114-05:00',
      okAt: '2026-11-21T22:40:07.512034+01:00',
    });
  });

  it('fails when the alarm came back to OK only after the window', () => {
    const verdict = judgeAlarmTransitions(changesOf('describe-alarm-history-no-return.json'), window);
    expect(verdict.transition).toBeUndefined();
    expect(verdict.problems.map((p) => p.code)).toEqual(['alarm-no-transition']);
    expect(verdict.problems[0]?.message).toMatch(/no alarm went OK→ALARM→OK inside the run's window/);
  });

  it('fails when the window excludes the round trip entirely', () => {
    const late = { from: new Date('2026-11-22T12:00:00Z'), to: new Date('2026-11-22T13:00:00Z') };
    expect(judgeAlarmTransitions(changesOf('describe-alarm-history.json'), late).problems[0]?.code).toBe(
      'alarm-no-transition',
    );
  });

  it('fails when the only round trip came from missing data, and notes the ALARM', () => {
    const verdict = judgeAlarmTransitions(changesOf('describe-alarm-history-missing-data.json'), window);
    expect(verdict.problems.map((p) => p.code)).toEqual(['alarm-missing-data-only']);
    expect(verdict.notes.map((n) => n.code)).toEqual(['alarm-missing-data']);
  });

  it('passes on a genuine round trip even when another alarm only saw missing data', () => {
    const changes = [
      ...changesOf('describe-alarm-history.json'),
      ...changesOf('describe-alarm-history-missing-data.json').map((c) => ({ ...c, alarmName: 'other' })),
    ];
    const verdict = judgeAlarmTransitions(changes, window);
    expect(verdict.problems).toEqual([]);
    expect(verdict.notes.map((n) => n.code)).toEqual(['alarm-missing-data']);
  });

  it('fails with no alarm history at all', () => {
    expect(judgeAlarmTransitions([], window).problems[0]?.code).toBe('alarm-history-missing');
  });

  it('does not accept OK→ALARM→INSUFFICIENT_DATA→OK as a round trip', () => {
    const base = { alarmName: 'a', reason: 'r', missingData: false, decodedFrom: 'HistoryData' as const };
    const at = (iso: string) => ({ at: new Date(iso), timestamp: iso });
    const changes = [
      { ...base, ...at('2026-11-21T21:00:00Z'), from: 'OK', to: 'ALARM' },
      { ...base, ...at('2026-11-21T21:10:00Z'), from: 'ALARM', to: 'INSUFFICIENT_DATA' },
      { ...base, ...at('2026-11-21T21:20:00Z'), from: 'INSUFFICIENT_DATA', to: 'OK' },
    ];
    expect(judgeAlarmTransitions(changes, window).problems[0]?.code).toBe('alarm-no-transition');
  });
});
