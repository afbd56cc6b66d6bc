import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeError } from '../util/errors.js';
import { parseAlarmHistory } from './alarm-history.js';
import { type AlarmHistoryClient, fetchAlarmHistory } from './alarm-history-api.js';
import { ALARMS_DIR, type BundleFile } from './bundle.js';

/** `usage`: the operator's arguments are wrong and nothing was written; `failed`: the collection itself failed. */
export class CollectError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'failed' = 'failed',
  ) {
    super(message);
    this.name = 'CollectError';
  }
}

export interface AlarmSources {
  /** Alarm names to read through DescribeAlarmHistory (needs `cloudwatch`). */
  names: string[];
  cloudwatch?: AlarmHistoryClient;
  /** True when that client talks to an endpoint override (the local emulator), for the error's hint. */
  overridden?: boolean;
  /** Files saved from `aws cloudwatch describe-alarm-history`, copied byte for byte. */
  files: string[];
}

/**
 * The alarm-history files of a bundle: exported files exactly as the AWS CLI wrote them (after checking
 * they parse), and one file per alarm name read through the API, in the same JSON shape.
 */
export async function gatherAlarmHistory(
  sources: AlarmSources,
  window: { from: Date; to: Date },
): Promise<BundleFile[]> {
  const files = await exportedAlarmFiles(sources.files);
  if (sources.names.length > 0 && !sources.cloudwatch) {
    throw new CollectError(
      'alarm names were given but no CloudWatch client: pass AWS credentials or use --alarm-history-file',
      'usage',
    );
  }
  for (const [index, name] of sources.names.entries()) {
    const document = await fetchAlarmHistory(sources.cloudwatch as AlarmHistoryClient, name, window).catch(
      (error: unknown) => {
        throw new CollectError(
          `DescribeAlarmHistory for ${name} failed (${describeError(error).split('\n')[0]}): ${alarmApiHint(sources.overridden)}`,
        );
      },
    );
    files.push({
      path: `${ALARMS_DIR}/api-${index + 1}-${slug(name)}.json`,
      body: Buffer.from(`${JSON.stringify(document, null, 2)}\n`),
    });
  }
  return files;
}

async function exportedAlarmFiles(paths: string[]): Promise<BundleFile[]> {
  const used = new Set<string>();
  const files: BundleFile[] = [];
  for (const [index, path] of paths.entries()) {
    const body = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new CollectError(
        `cannot read --alarm-history-file ${path}: ${error.code ?? error.message}`,
        'usage',
      );
    });
    const parsed = parseAlarmHistory(body.toString('utf8'), path);
    if (parsed.findings.length > 0) {
      const save =
        'save it with `aws cloudwatch describe-alarm-history --alarm-name NAME --output json > file`';
      throw new CollectError(
        `${path} is not describe-alarm-history output: ${parsed.findings[0]?.message}; ${save}`,
        'usage',
      );
    }
    let name = `exported-${slug(basename(path, '.json'))}.json`;
    if (used.has(name)) name = `exported-${index + 1}-${slug(basename(path, '.json'))}.json`;
    used.add(name);
    files.push({ path: `${ALARMS_DIR}/${name}`, body }); // byte for byte: the check reads what AWS wrote
  }
  return files;
}

function alarmApiHint(overridden = false): string {
  return overridden
    ? 'the local emulator (moto) does not implement DescribeAlarmHistory; pass --alarm-history-file instead'
    : 'check the alarm name, the region and the cloudwatch:DescribeAlarmHistory permission, or pass --alarm-history-file';
}

/** Alarm names may hold any character; file names here keep to a safe set. */
function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'alarm';
}
