import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../aws/s3-list.js';
import type { Receipt } from '../receipts/envelope.js';
import { parseReceiptFileName, S3ReceiptStore } from '../receipts/store.js';
import { mapWithConcurrency } from '../util/concurrency.js';

/**
 * Which backups open DR executions still need, from the receipts. An execution references a backup when
 * its restore-precheck chose it (receipt ok, outputs backup-uri) or its restore was given it (inputs
 * backup-uri); the freshness schedule's age-metric prechecks only measure and reference nothing. An
 * execution is open until a teardown receipt with status ok exists, or until it has been quiet for
 * `openDays` (longer than any runner lives: real DR runners expire after 30 days at most, drills after
 * hours), so a run that died without tearing down stops protecting its backup only after its runner is
 * certainly gone.
 */
export interface ExecutionSummary {
  executionId: string;
  lastActivity: Date;
  backupUris: string[];
  tornDown: boolean;
}

export function openReferences(
  executions: ExecutionSummary[],
  now: Date,
  openDays: number,
): Map<string, string[]> {
  const horizon = now.getTime() - openDays * 86_400_000;
  const references = new Map<string, string[]>();
  for (const execution of executions) {
    if (execution.tornDown || execution.lastActivity.getTime() < horizon) continue;
    for (const uri of new Set(execution.backupUris))
      references.set(uri, [...(references.get(uri) ?? []), execution.executionId]);
  }
  return references;
}

interface ReceiptKeys {
  lastActivity: Date;
  keys: { key: string; phase: string }[];
}

const READ_PHASES = new Set(['restore-precheck', 'restore', 'teardown']);

async function listReceiptKeys(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Map<string, ReceiptKeys>> {
  const start = prefix ? `${prefix}/` : '';
  const executions = new Map<string, ReceiptKeys>();
  for await (const object of listObjects(s3, bucket, start)) {
    const [executionId, file, extra] = (object.Key ?? '').slice(start.length).split('/');
    const name = file ? parseReceiptFileName(file) : undefined;
    if (!executionId || !name || extra !== undefined) continue;
    const entry = executions.get(executionId) ?? { lastActivity: new Date(0), keys: [] };
    const modified = object.LastModified ?? new Date(0);
    if (modified > entry.lastActivity) entry.lastActivity = modified;
    if (READ_PHASES.has(name.phase)) entry.keys.push({ key: object.Key as string, phase: name.phase });
    executions.set(executionId, entry);
  }
  return executions;
}

/**
 * Summaries of the executions active within `openDays`, read from their receipts. `chosenBackup` reads
 * the backup an ok restore-precheck receipt chose (its outputs are that phase's contract, so the caller,
 * a phase, supplies the reader: this library does not import the phases).
 */
export async function summarizeExecutions(
  s3: S3Client,
  receipts: { bucket: string; prefix: string },
  now: Date,
  openDays: number,
  chosenBackup: (restorePrecheck: Receipt) => string | undefined,
): Promise<ExecutionSummary[]> {
  const horizon = now.getTime() - openDays * 86_400_000;
  const listed = [...(await listReceiptKeys(s3, receipts.bucket, receipts.prefix)).entries()].filter(
    ([, entry]) => entry.lastActivity.getTime() >= horizon && entry.keys.some((k) => k.phase !== 'teardown'),
  );
  return mapWithConcurrency(listed, 8, async ([executionId, entry]) => {
    const store = new S3ReceiptStore(s3, { bucket: receipts.bucket, prefix: receipts.prefix, executionId });
    const summary: ExecutionSummary = {
      executionId,
      lastActivity: entry.lastActivity,
      backupUris: [],
      tornDown: false,
    };
    for (const { key, phase } of entry.keys) {
      const receipt = (await store.read(key)).receipt;
      if (!receipt) continue;
      if (phase === 'teardown' && receipt.status === 'ok') summary.tornDown = true;
      if (phase === 'restore-precheck' && receipt.status === 'ok' && receipt.inputs.mode !== 'age-metric') {
        const uri = chosenBackup(receipt);
        if (uri) summary.backupUris.push(uri);
      }
      if (phase === 'restore') {
        const uri = receipt.inputs['backup-uri'];
        if (typeof uri === 'string' && uri) summary.backupUris.push(uri.replace(/\/+$/, ''));
      }
    }
    return summary;
  });
}
