import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../aws/s3-list.js';
import type { Receipt } from '../receipts/envelope.js';
import { parseReceiptFileName, S3ReceiptStore } from '../receipts/store.js';
import { mapWithConcurrency } from '../util/concurrency.js';

/**
 * One target's standing, from its own receipts folder (src/targets/receipts.ts): the newest health
 * check, and the executions that still have a standby up. `standby status --targets` shows one row per
 * target. Reading (listTargetReceipts) is apart from deciding (targetHealth, openExecutions).
 */
export interface TargetHealth {
  state: 'healthy' | 'needs-dr' | 'check-failed' | 'unknown';
  /** The check-health receipt it was read from. */
  executionId: string | null;
  checkedAt: string | null;
  freshnessHours: number | null;
  /** Reason codes of the check (stale, marker_missing, ...). */
  reasons: string[];
}

export interface OpenExecution {
  executionId: string;
  /** drill or dr, from bringup's kind input. */
  kind: string;
  since: string | null;
  /** The last phase that wrote a receipt. */
  lastPhase: string | null;
}

/** The receipts of one target that these decisions read, per execution. */
export interface TargetReceipts {
  /** The newest check-health receipt of any execution (freshness checks, drills, real DR). */
  newestCheck?: Receipt;
  executions: {
    executionId: string;
    bringup?: Receipt;
    teardown?: Receipt;
    newest?: Receipt;
  }[];
}

export function targetHealth(check: Receipt | undefined): TargetHealth {
  if (!check)
    return { state: 'unknown', executionId: null, checkedAt: null, freshnessHours: null, reasons: [] };
  const outputs = check.outputs as Record<string, unknown>;
  const hours = outputs['freshness-hours'];
  const reasons = Array.isArray(outputs.reasons)
    ? outputs.reasons.flatMap((r) =>
        r && typeof r === 'object' && typeof (r as { code?: unknown }).code === 'string'
          ? [(r as { code: string }).code]
          : [],
      )
    : [];
  const state =
    check.status !== 'ok' ? 'check-failed' : outputs['needs-dr'] === true ? 'needs-dr' : 'healthy';
  return {
    state,
    executionId: check.execution_id,
    checkedAt: check.ended_at,
    freshnessHours: typeof hours === 'number' ? hours : null,
    reasons,
  };
}

/**
 * Executions whose standby is still up: bringup applied (ok, not a plan-only drill) and no teardown has
 * succeeded since. A real-DR standby stays open until its approved teardown, however old.
 */
export function openExecutions(receipts: TargetReceipts): OpenExecution[] {
  return receipts.executions
    .filter(({ bringup, teardown }) => {
      if (bringup?.status !== 'ok' || bringup.inputs['plan-only'] === true) return false;
      return teardown?.status !== 'ok';
    })
    .map(({ executionId, bringup, newest }) => ({
      executionId,
      kind: typeof bringup?.inputs.kind === 'string' ? bringup.inputs.kind : 'dr',
      since: bringup?.ended_at ?? null,
      lastPhase: newest?.phase ?? null,
    }))
    .sort((a, b) => String(b.since).localeCompare(String(a.since)));
}

/**
 * Lists one target's folder once and reads the receipts the decisions need: the newest check-health
 * receipt, and each execution's bringup, teardown and newest receipt. Keys deeper than
 * `<execution>/<file>` (another target's folder, sequence claims) are not this target's receipts.
 */
export async function listTargetReceipts(
  s3: S3Client,
  folder: { bucket: string; prefix: string },
): Promise<TargetReceipts> {
  const start = folder.prefix ? `${folder.prefix}/` : '';
  type Entry = { key: string; phase: string; modified: number };
  const byExecution = new Map<string, Entry[]>();
  for await (const object of listObjects(s3, folder.bucket, start)) {
    const [executionId, file, extra] = (object.Key ?? '').slice(start.length).split('/');
    const name = file ? parseReceiptFileName(file) : undefined;
    if (!executionId || !name || extra !== undefined) continue;
    const entry = {
      key: object.Key as string,
      phase: name.phase,
      modified: object.LastModified?.getTime() ?? 0,
    };
    byExecution.set(executionId, [...(byExecution.get(executionId) ?? []), entry]);
  }
  const newestOf = (entries: Entry[]) =>
    entries.reduce<Entry | undefined>((n, e) => (!n || e.modified > n.modified ? e : n), undefined);
  const checks = [...byExecution.values()].flatMap((entries) =>
    entries.filter((e) => e.phase === 'check-health'),
  );
  // Only executions that brought a standby up can be open: freshness checks (one an hour) are not read.
  const withBringup = [...byExecution.entries()].filter(([, entries]) =>
    entries.some((e) => e.phase === 'bringup'),
  );
  const executions = await mapWithConcurrency(withBringup, 8, async ([executionId, entries]) => {
    const store = new S3ReceiptStore(s3, { ...folder, executionId });
    const read = async (entry?: Entry) => (entry ? (await store.read(entry.key)).receipt : undefined);
    const latest = (phase: string) => newestOf(entries.filter((e) => e.phase === phase));
    return {
      executionId,
      bringup: await read(latest('bringup')),
      teardown: await read(latest('teardown')),
      newest: await read(newestOf(entries)),
    };
  });
  return { newestCheck: await newestByEnd(s3, folder, start, checks), executions };
}

/**
 * The check-health receipt that ended last. S3's LastModified has a one-second grain, so the few most
 * recently written are read and their own ended_at decides (receipts are written as each phase ends).
 */
async function newestByEnd(
  s3: S3Client,
  folder: { bucket: string; prefix: string },
  start: string,
  checks: { key: string; modified: number }[],
): Promise<Receipt | undefined> {
  const recent = [...checks].sort((a, b) => b.modified - a.modified).slice(0, 5);
  const read = await Promise.all(
    recent.map(async ({ key }) => {
      const executionId = key.slice(start.length).split('/')[0] as string;
      return (await new S3ReceiptStore(s3, { ...folder, executionId }).read(key)).receipt;
    }),
  );
  return read
    .filter((r): r is Receipt => r !== undefined)
    .reduce<Receipt | undefined>((n, r) => (!n || r.ended_at > n.ended_at ? r : n), undefined);
}
