import {
  type AlarmHistoryItem,
  DescribeAlarmHistoryCommand,
  type DescribeAlarmHistoryCommandOutput,
} from '@aws-sdk/client-cloudwatch';

/** The part of CloudWatchClient this needs: tests pass a fake that serves pages. */
export interface AlarmHistoryClient {
  send(command: DescribeAlarmHistoryCommand): Promise<DescribeAlarmHistoryCommandOutput>;
}

/** Alarm history in the shape `aws cloudwatch describe-alarm-history` prints, so one parser reads both. */
export interface AlarmHistoryDocument {
  AlarmHistoryItems: Array<Record<string, string>>;
}

/** Every page of one alarm's history (newest first, as AWS returns it) between `from` and `to`. */
export async function fetchAlarmHistory(
  client: AlarmHistoryClient,
  alarmName: string,
  window: { from: Date; to: Date },
  maxPages = 1000,
): Promise<AlarmHistoryDocument> {
  const items: Array<Record<string, string>> = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const response = await client.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: alarmName,
        StartDate: window.from,
        EndDate: window.to,
        ScanBy: 'TimestampDescending',
        MaxRecords: 100,
        NextToken: token,
      }),
    );
    items.push(...(response.AlarmHistoryItems ?? []).map(toCliShape));
    token = response.NextToken;
    if (!token) return { AlarmHistoryItems: items };
  }
  throw new Error(
    `alarm history of ${alarmName} still had more pages after ${maxPages}: narrow the time window`,
  );
}

function toCliShape(item: AlarmHistoryItem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (typeof value === 'string') out[key] = value;
  }
  return out;
}
