import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StoredReceipt } from '../receipts/store.js';
import { parseReceiptFileName } from '../receipts/store.js';
import { parseAlarmHistory } from './alarm-history.js';
import { type AlarmHistoryClient, fetchAlarmHistory } from './alarm-history-api.js';
import { ALARMS_DIR, type BundleFile, COLLECTION_FILE, MANIFEST_FILE, RECEIPTS_DIR } from './bundle.js';
import { refuseNonEmpty, writeBundleFiles } from './bundle-files.js';
import { buildManifest, serializeManifest } from './manifest.js';

export interface ReceiptSource {
  readonly location: { bucket: string; prefix: string; executionId: string };
  list(): Promise<StoredReceipt[]>;
}

export interface CollectOptions {
  receipts: ReceiptSource;
  outDir: string;
  /** Alarm names to read through DescribeAlarmHistory (needs `cloudwatch`). */
  alarmNames?: string[];
  cloudwatch?: AlarmHistoryClient;
  /** Files saved from `aws cloudwatch describe-alarm-history`, copied byte for byte. */
  alarmHistoryFiles?: string[];
  /** Alarm history is read from this long before the first receipt to this long after the last (default 1 day). */
  alarmMarginHours?: number;
}

export interface CollectResult {
  outDir: string;
  executionId: string;
  receipts: number;
  /** The newest attempt of each phase, which `evidence check` judges; older attempts are kept for the chain. */
  selected: Record<string, string>;
  alarmFiles: string[];
  manifest: string;
}

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

/**
 * Gathers one execution's evidence into an empty directory. ALL receipt objects are copied (every attempt),
 * because a retry's receipt links to the attempt before it: leaving old attempts out would break the chain.
 */
export async function collectEvidence(options: CollectOptions): Promise<CollectResult> {
  const refusal = await refuseNonEmpty(options.outDir);
  if (refusal) throw new CollectError(refusal, 'usage');
  const { bucket, prefix, executionId } = options.receipts.location;
  const stored = await options.receipts.list();
  if (stored.length === 0) {
    throw new CollectError(
      `no receipts under s3://${bucket}/${prefix ? `${prefix}/` : ''}${executionId}/: check --execution-id and --receipt-prefix`,
    );
  }
  const files: BundleFile[] = stored.map((r) => ({
    path: `${RECEIPTS_DIR}/${basename(r.key)}`,
    body: r.body,
  }));

  const alarmFiles = [...(await exportedAlarmFiles(options.alarmHistoryFiles ?? []))];
  if ((options.alarmNames ?? []).length > 0) {
    if (!options.cloudwatch)
      throw new CollectError(
        'alarm names were given but no CloudWatch client: pass AWS credentials or use --alarm-history-file',
      );
    const window = alarmWindow(stored, options.alarmMarginHours ?? 24);
    for (const [index, name] of (options.alarmNames ?? []).entries()) {
      const document = await fetchAlarmHistory(options.cloudwatch, name, window);
      alarmFiles.push({
        path: `${ALARMS_DIR}/api-${index + 1}-${slug(name)}.json`,
        body: Buffer.from(`${JSON.stringify(document, null, 2)}\n`),
      });
    }
  }
  files.push(...alarmFiles);

  const selected = newestPerPhase(stored);
  const collection = {
    schema: 'standby.evidence-collection/v1',
    execution_id: executionId,
    receipts_from: `s3://${bucket}/${prefix ? `${prefix}/` : ''}${executionId}/`,
    selected_attempts: selected,
    alarm_names: options.alarmNames ?? [],
    alarm_history_files: (options.alarmHistoryFiles ?? []).map((f) => basename(f)),
  };
  files.push({ path: COLLECTION_FILE, body: Buffer.from(`${JSON.stringify(collection, null, 2)}\n`) });
  const manifest = buildManifest(executionId, files);
  files.push({ path: MANIFEST_FILE, body: Buffer.from(serializeManifest(manifest)) });
  await writeBundleFiles(options.outDir, files);
  return {
    outDir: options.outDir,
    executionId,
    receipts: stored.length,
    selected,
    alarmFiles: alarmFiles.map((f) => f.path),
    manifest: `${options.outDir}/${MANIFEST_FILE}`,
  };
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
      throw new CollectError(
        `${path} is not describe-alarm-history output: ${parsed.findings[0]?.message}. Save it with \`aws cloudwatch describe-alarm-history --alarm-name NAME --output json > file\``,
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

function newestPerPhase(stored: StoredReceipt[]): Record<string, string> {
  const newest: Record<string, { attempt: number; file: string }> = {};
  for (const r of stored) {
    const file = basename(r.key);
    const named = parseReceiptFileName(file);
    if (!named) continue;
    if (!newest[named.phase] || named.attempt > (newest[named.phase]?.attempt ?? 0))
      newest[named.phase] = { attempt: named.attempt, file };
  }
  return Object.fromEntries(
    Object.entries(newest)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([phase, n]) => [phase, `${RECEIPTS_DIR}/${n.file}`]),
  );
}

function alarmWindow(stored: StoredReceipt[], marginHours: number): { from: Date; to: Date } {
  const times = stored.flatMap((r) =>
    r.receipt ? [Date.parse(r.receipt.started_at), Date.parse(r.receipt.ended_at)] : [],
  );
  const now = Date.now();
  const margin = marginHours * 3_600_000;
  return {
    from: new Date((times.length ? Math.min(...times) : now) - margin),
    to: new Date((times.length ? Math.max(...times) : now) + margin),
  };
}

/** Alarm names may hold any character; file names here keep to a safe set. */
function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'alarm';
}
