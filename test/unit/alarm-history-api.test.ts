import type {
  DescribeAlarmHistoryCommand,
  DescribeAlarmHistoryCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from '@jest/globals';
import { parseAlarmHistory } from '../../src/evidence/alarm-history.js';
import { fetchAlarmHistory } from '../../src/evidence/alarm-history-api.js';

/** Serves DescribeAlarmHistory pages the way the SDK returns them (Timestamp as Date, NextToken between pages). */
function pagedClient(pages: DescribeAlarmHistoryCommandOutput[]) {
  const requests: DescribeAlarmHistoryCommand['input'][] = [];
  return {
    requests,
    async send(command: DescribeAlarmHistoryCommand) {
      requests.push(command.input);
      const page = pages[requests.length - 1];
      if (!page) throw new Error('asked for a page that does not exist');
      return page;
    },
  };
}

const meta = { $metadata: {} };
const update = (at: string, from: string, to: string) => ({
  AlarmName: 'standby-pipeline-stale',
  AlarmType: 'MetricAlarm' as const,
  Timestamp: new Date(at),
  HistoryItemType: 'StateUpdate' as const,
  HistorySummary: `Alarm updated from ${from} to ${to}`,
  HistoryData: JSON.stringify({
    version: '1.0',
    oldState: { stateValue: from },
    newState: { stateValue: to, stateReason: 'Threshold Crossed' },
  }),
});

describe('fetchAlarmHistory', () => {
  it('follows NextToken through every page and writes the CLI shape the parser reads', async () => {
    const client = pagedClient([
      {
        ...meta,
        AlarmHistoryItems: [update('2026-11-21T21:40:07.512Z', 'ALARM', 'OK')],
        NextToken: 'page-2',
      },
      { ...meta, AlarmHistoryItems: [], NextToken: 'page-3' },
      { ...meta, AlarmHistoryItems: [update('2026-11-21T21:04:11.903Z', 'OK', 'ALARM')] },
    ]);
    const window = { from: new Date('2026-11-20T21:00:00Z'), to: new Date('2026-11-22T22:00:00Z') };
    const document = await fetchAlarmHistory(client, 'standby-pipeline-stale', window);
    expect(client.requests.map((r) => r.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(client.requests[0]).toMatchObject({
      AlarmName: 'standby-pipeline-stale',
      StartDate: window.from,
      EndDate: window.to,
      ScanBy: 'TimestampDescending',
    });
    expect(document.AlarmHistoryItems.map((i) => i.Timestamp)).toEqual([
      '2026-11-21T21:40:07.512Z',
      '2026-11-21T21:04:11.903Z',
    ]);
    const parsed = parseAlarmHistory(JSON.stringify(document), 'api.json');
    expect(parsed.findings).toEqual([]);
    expect(parsed.changes.map((c) => `${c.from}→${c.to}`)).toEqual(['OK→ALARM', 'ALARM→OK']);
  });

  it('stops with a clear error instead of paging forever', async () => {
    const endless = { send: async () => ({ ...meta, AlarmHistoryItems: [], NextToken: 'again' }) };
    await expect(fetchAlarmHistory(endless, 'a', { from: new Date(0), to: new Date() }, 3)).rejects.toThrow(
      /still had more pages after 3: narrow the time window/,
    );
  });
});
