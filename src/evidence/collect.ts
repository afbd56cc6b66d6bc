import { basename } from 'node:path';
import { sanitizeText } from '../receipts/sanitize.js';
import { parseReceiptFileName, type ReceiptVersion, type StoredReceipt } from '../receipts/store.js';
import { describeError } from '../util/errors.js';
import { type BundleFile, COLLECTION_FILE, MANIFEST_FILE, RECEIPTS_DIR } from './bundle.js';
import { refuseNonEmpty, writeBundleFiles } from './bundle-files.js';
import { type AlarmSources, CollectError, gatherAlarmHistory } from './collect-alarms.js';
import { buildManifest, serializeManifest } from './manifest.js';
import { receiptPath, type VersionsRecord } from './receipt-versions.js';

export { CollectError } from './collect-alarms.js';

export interface ReceiptSource {
  readonly location: { bucket: string; prefix: string; executionId: string };
  list(): Promise<StoredReceipt[]>;
  /** S3 versioning of the bucket and every version of the receipt keys (S3ReceiptStore has both). */
  versioning?(): Promise<'Enabled' | 'Suspended' | 'Disabled'>;
  listVersions?(): Promise<ReceiptVersion[]>;
}

export interface CollectOptions {
  receipts: ReceiptSource;
  outDir: string;
  /** Alarm names to read through DescribeAlarmHistory (needs `cloudwatch`). */
  alarmNames?: string[];
  cloudwatch?: AlarmSources['cloudwatch'];
  /** The CloudWatch client talks to an endpoint override (the emulator). */
  cloudwatchOverridden?: boolean;
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

/**
 * Gathers one execution's evidence into an empty directory. ALL receipt objects are copied (every attempt),
 * because a retry's receipt links to the attempt before it: leaving old attempts out would break the chain.
 * Everything is read before anything is written, so a failure leaves no half bundle behind.
 */
export async function collectEvidence(options: CollectOptions): Promise<CollectResult> {
  const refusal = await refuseNonEmpty(options.outDir);
  if (refusal) throw new CollectError(refusal, 'usage');
  const { bucket, prefix, executionId } = options.receipts.location;
  const folder = `s3://${bucket}/${prefix ? `${prefix}/` : ''}${executionId}/`;
  const stored = await options.receipts.list();
  if (stored.length === 0)
    throw new CollectError(`no receipts under ${folder}: check --execution-id and --receipt-prefix`);

  const receiptFiles: BundleFile[] = stored.map((r) => ({
    path: `${RECEIPTS_DIR}/${basename(r.key)}`,
    body: r.body,
  }));
  // Alarm history is copied byte for byte, unless the sanitiser finds a secret in it (then it is the
  // sanitised JSON, and collection.json says so). Receipts stay byte for byte: the hash chain is over them.
  const { files: alarmFiles, sanitized } = sanitizeFiles(
    await gatherAlarmHistory(
      {
        names: options.alarmNames ?? [],
        cloudwatch: options.cloudwatch,
        overridden: options.cloudwatchOverridden,
        files: options.alarmHistoryFiles ?? [],
      },
      alarmWindow(stored, options.alarmMarginHours ?? 24),
    ),
  );
  const selected = newestPerPhase(stored);
  const collection = {
    schema: 'standby.evidence-collection/v1',
    execution_id: executionId,
    receipts_from: folder,
    selected_attempts: selected,
    alarm_names: options.alarmNames ?? [],
    alarm_history_files: (options.alarmHistoryFiles ?? []).map((f) => basename(f)),
    versions: await readVersions(options.receipts),
    sanitized_files: sanitized,
  };
  const files = [
    ...receiptFiles,
    ...alarmFiles,
    { path: COLLECTION_FILE, body: Buffer.from(`${JSON.stringify(collection, null, 2)}\n`) },
  ];
  files.push({
    path: MANIFEST_FILE,
    body: Buffer.from(serializeManifest(buildManifest(executionId, files))),
  });
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

function sanitizeFiles(files: BundleFile[]): { files: BundleFile[]; sanitized: string[] } {
  const sanitized: string[] = [];
  const clean = files.map((file) => {
    const text = file.body.toString('utf8');
    const safe = sanitizeText(text);
    if (safe === text) return file;
    sanitized.push(file.path);
    return { path: file.path, body: Buffer.from(safe.endsWith('\n') ? safe : `${safe}\n`) };
  });
  return { files: clean, sanitized };
}

/** What the bucket says about overwrites and deletions; a refusal is recorded (sanitised), not fatal. */
async function readVersions(source: ReceiptSource): Promise<VersionsRecord | undefined> {
  if (!source.versioning || !source.listVersions) return undefined;
  try {
    const status = await source.versioning();
    const receipts: VersionsRecord['receipts'] = {};
    for (const v of await source.listVersions()) {
      const path = receiptPath(basename(v.key));
      receipts[path] = [
        ...(receipts[path] ?? []),
        {
          version_id: v.versionId,
          latest: v.latest,
          last_modified: v.lastModified,
          bytes: v.bytes,
          delete_marker: v.deleteMarker,
        },
      ];
    }
    // Current version first, then newest first (S3 times have one-second resolution, so ties happen).
    const newestFirst = (list: VersionsRecord['receipts'][string]) =>
      [...list].sort(
        (a, b) =>
          Number(b.latest) - Number(a.latest) ||
          (b.last_modified ?? '').localeCompare(a.last_modified ?? '') ||
          a.version_id.localeCompare(b.version_id),
      );
    const sorted = Object.fromEntries(
      Object.keys(receipts)
        .sort()
        .map((k) => [k, newestFirst(receipts[k] ?? [])]),
    );
    return { status, error: null, receipts: sorted };
  } catch (error) {
    return { status: 'unknown', error: sanitizeText(describeError(error)), receipts: {} };
  }
}

function newestPerPhase(stored: StoredReceipt[]): Record<string, string> {
  const newest = new Map<string, { attempt: number; file: string }>();
  for (const r of stored) {
    const file = basename(r.key);
    const named = parseReceiptFileName(file);
    if (named && named.attempt > (newest.get(named.phase)?.attempt ?? 0))
      newest.set(named.phase, { attempt: named.attempt, file });
  }
  const phases = [...newest.keys()].sort();
  return Object.fromEntries(phases.map((phase) => [phase, `${RECEIPTS_DIR}/${newest.get(phase)?.file}`]));
}

/** Receipt times ± the margin; with no readable receipt, around now. */
function alarmWindow(stored: StoredReceipt[], marginHours: number): { from: Date; to: Date } {
  const times = stored.flatMap((r) =>
    r.receipt ? [Date.parse(r.receipt.started_at), Date.parse(r.receipt.ended_at)] : [],
  );
  if (times.length === 0) times.push(Date.now());
  const margin = marginHours * 3_600_000;
  return { from: new Date(Math.min(...times) - margin), to: new Date(Math.max(...times) + margin) };
}
