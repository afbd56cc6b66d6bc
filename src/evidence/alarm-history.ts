import { parseIsoTimestamp } from '../util/time.js';
import type { Finding } from './bundle.js';

/** One StateUpdate item of CloudWatch alarm history, decoded. */
export interface AlarmStateChange {
  alarmName: string;
  at: Date;
  /** The timestamp exactly as AWS wrote it (offset and microseconds kept for the report). */
  timestamp: string;
  from: string;
  to: string;
  reason: string | undefined;
  /** The new state came from missing data treated as breaching, not from a real datapoint. */
  missingData: boolean;
  decodedFrom: 'HistoryData' | 'HistorySummary';
}

export interface ParsedAlarmHistory {
  changes: AlarmStateChange[];
  findings: Finding[];
}

/** CloudWatch's own wording, e.g. "... 1 missing datapoint was treated as [Breaching]." */
const MISSING_DATA_BREACHING = /missing data ?points? (?:was|were) treated as \[?breaching\]?/i;
const SUMMARY = /^Alarm updated from (\w+) to (\w+)/;

/**
 * Reads `aws cloudwatch describe-alarm-history` output as AWS returns it: one response object
 * ({"AlarmHistoryItems": [...], "NextToken"?}) or an array of such pages; items newest first, timestamps
 * with local offsets and microseconds, HistoryData a JSON *string*. Order in the file is not trusted.
 */
export function parseAlarmHistory(text: string, path: string): ParsedAlarmHistory {
  const findings: Finding[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {
      changes: [],
      findings: [{ code: 'alarm-history-invalid', message: `${path} is not valid JSON`, path }],
    };
  }
  const pages = Array.isArray(raw) ? raw : [raw];
  const changes: AlarmStateChange[] = [];
  pages.forEach((page, pageIndex) => {
    const items = (page as { AlarmHistoryItems?: unknown })?.AlarmHistoryItems;
    if (!Array.isArray(items)) {
      findings.push({
        code: 'alarm-history-invalid',
        message: `${path} page ${pageIndex + 1} has no AlarmHistoryItems array (expected describe-alarm-history output)`,
        path,
      });
      return;
    }
    items.forEach((item, index) => {
      const where = `${path} item ${index + 1}${pages.length > 1 ? ` of page ${pageIndex + 1}` : ''}`;
      const decoded = decodeItem(item as Record<string, unknown>, where);
      if ('problem' in decoded) findings.push({ ...decoded.problem, path });
      else if (decoded.change) changes.push(decoded.change);
    });
  });
  changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { changes, findings };
}

function decodeItem(
  item: Record<string, unknown>,
  where: string,
): { change?: AlarmStateChange } | { problem: Finding } {
  if (item?.HistoryItemType !== 'StateUpdate') return { change: undefined }; // ConfigurationUpdate, Action
  const alarmName = typeof item.AlarmName === 'string' ? item.AlarmName : '';
  const at = parseIsoTimestamp(item.Timestamp);
  if (!alarmName || !at) {
    return {
      problem: {
        code: 'alarm-history-invalid',
        message: `${where}: StateUpdate without an AlarmName or an ISO-8601 Timestamp (got ${JSON.stringify(item.Timestamp)})`,
      },
    };
  }
  const base = { alarmName, at, timestamp: String(item.Timestamp) };
  const fromData = decodeHistoryData(item.HistoryData);
  if (fromData)
    return {
      change: {
        ...base,
        ...fromData,
        missingData: MISSING_DATA_BREACHING.test(fromData.reason ?? ''),
        decodedFrom: 'HistoryData',
      },
    };
  const summary = typeof item.HistorySummary === 'string' ? SUMMARY.exec(item.HistorySummary) : null;
  if (summary) {
    return {
      change: {
        ...base,
        from: summary[1] as string,
        to: summary[2] as string,
        reason: undefined,
        missingData: false,
        decodedFrom: 'HistorySummary',
      },
    };
  }
  return {
    problem: {
      code: 'alarm-history-invalid',
      message: `${where}: neither HistoryData nor HistorySummary says which states the alarm moved between`,
    },
  };
}

/** HistoryData is a JSON document inside a string; anything else is not what AWS sends. */
function decodeHistoryData(
  raw: unknown,
): { from: string; to: string; reason: string | undefined } | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const data = JSON.parse(raw) as {
      oldState?: { stateValue?: unknown };
      newState?: { stateValue?: unknown; stateReason?: unknown };
    };
    const from = data.oldState?.stateValue;
    const to = data.newState?.stateValue;
    if (typeof from !== 'string' || typeof to !== 'string') return undefined;
    return {
      from,
      to,
      reason: typeof data.newState?.stateReason === 'string' ? data.newState.stateReason : undefined,
    };
  } catch {
    return undefined;
  }
}
