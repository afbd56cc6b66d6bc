import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../aws/s3-list.js';
import { MANIFEST_FILE } from '../evidence/bundle.js';
import { readBundleDir } from '../evidence/bundle-files.js';
import { type BundledReceipt, parseBundledReceipts } from '../evidence/bundled-receipts.js';
import { checkBundle, DEFAULT_CHECK_OPTIONS } from '../evidence/check.js';
import { collectEvidence } from '../evidence/collect.js';
import { S3ReceiptStore, sha256Hex } from '../receipts/store.js';
import { EXECUTION_ID_PREFIX_BY_WORKFLOW, PIPELINE_DEFAULT_PREFIX } from './execution-id.js';
import { type DrillCheck, type Rejection, whyNotProof } from './trigger-gate.js';

export interface ReceiptFolder {
  bucket: string;
  prefix: string;
}

/** Drill executions are the ones drill.yml starts: `drill-<run id>` (docs/receipts.md). */
const DRILL_EXECUTION = /^drill-[A-Za-z0-9._-]+$/;
/** Every execution a DR workflow starts: drill-, alarm- or dr-<run id> (execution-id.ts). */
const ANY_EXECUTION = new RegExp(
  `^(${[...Object.values(EXECUTION_ID_PREFIX_BY_WORKFLOW), PIPELINE_DEFAULT_PREFIX].join('|')})-[A-Za-z0-9._-]+$`,
);

/**
 * The drill executions under the receipt prefix, newest first (by the newest object S3 lists for each):
 * only keys and times are read here.
 */
export async function listDrillExecutions(s3: S3Client, folder: ReceiptFolder): Promise<string[]> {
  return listExecutionIds(s3, folder, 'drill-', DRILL_EXECUTION);
}

/** Every DR execution (drills and real DR runs) under the receipt prefix, newest first. */
export async function listExecutions(s3: S3Client, folder: ReceiptFolder): Promise<string[]> {
  return listExecutionIds(s3, folder, '', ANY_EXECUTION);
}

async function listExecutionIds(
  s3: S3Client,
  folder: ReceiptFolder,
  idStart: string,
  pattern: RegExp,
): Promise<string[]> {
  const start = folder.prefix ? `${folder.prefix}/` : '';
  const newest = new Map<string, number>();
  for await (const object of listObjects(s3, folder.bucket, `${start}${idStart}`)) {
    const id = (object.Key ?? '').slice(start.length).split('/')[0] ?? '';
    if (!pattern.test(id)) continue;
    const time = object.LastModified?.getTime() ?? 0;
    newest.set(id, Math.max(newest.get(id) ?? 0, time));
  }
  return [...newest.entries()].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0])).map(([id]) => id);
}

/**
 * One drill's evidence, judged exactly as an operator would: `evidence collect` into a scratch
 * directory, then `evidence check` with its defaults (a real drill: every pipeline phase ok, the chain,
 * the manifest, the run's provenance, no emulator receipts, no secrets). The scratch bundle is removed.
 */
export async function checkDrillEvidence(
  s3: S3Client,
  folder: ReceiptFolder,
  executionId: string,
): Promise<DrillCheck> {
  return (await readExecutionEvidence(s3, folder, executionId)).check;
}

/** checkDrillEvidence, also returning the receipts it read (for RTO, RPO and the trend). */
export async function readExecutionEvidence(
  s3: S3Client,
  folder: ReceiptFolder,
  executionId: string,
): Promise<{ check: DrillCheck; receipts: BundledReceipt[] }> {
  const scratch = await mkdtemp(join(tmpdir(), 'standby-triggers-'));
  try {
    const outDir = join(scratch, executionId);
    await collectEvidence({ receipts: new S3ReceiptStore(s3, { ...folder, executionId }), outDir });
    const files = await readBundleDir(outDir);
    const report = checkBundle(files, DEFAULT_CHECK_OPTIONS);
    const { receipts } = parseBundledReceipts(files);
    const ends = receipts.map((r) => Date.parse(r.receipt.ended_at)).filter(Number.isFinite);
    const manifest = files.find((f) => f.path === MANIFEST_FILE);
    const check: DrillCheck = {
      executionId,
      verified: report.verified,
      problems: report.problems,
      endedAt: ends.length > 0 ? new Date(Math.max(...ends)).toISOString() : undefined,
      repository: report.run.expectedRun?.repository ?? null,
      runId: report.run.expectedRun?.runId,
      kind: report.run.kind,
      chain: report.chain,
      manifestSha256: manifest ? sha256Hex(manifest.body) : undefined,
    };
    return { check, receipts };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface DrillSearch {
  /** owner/name whose drills count (the receipts must name its run). */
  repository: string;
  maxDrills: number;
  progress: (line: string) => void;
  /** A further test for a verified drill (why not, or undefined): e.g. GitHub confirms its run. */
  accept?: (check: DrillCheck) => Promise<string | undefined>;
}

export interface DrillSearchResult {
  /** Every drill read, newest first, the proof (if any) last. */
  checks: DrillCheck[];
  proof?: DrillCheck;
  /** The drills passed over, with why. */
  examined: Rejection[];
}

/**
 * The newest drill that `evidence check` verifies, that is this repository's drill (whyNotProof) and
 * that `accept` takes, reading at most `maxDrills` of `drills` (newest first, listDrillExecutions). Both
 * `standby triggers enable` and the DrillAge metric decide "the last verified drill" here.
 */
export async function findNewestVerifiedDrill(
  s3: S3Client,
  folder: ReceiptFolder,
  drills: string[],
  search: DrillSearch,
): Promise<DrillSearchResult> {
  const checks: DrillCheck[] = [];
  const examined: Rejection[] = [];
  for (const executionId of drills.slice(0, search.maxDrills)) {
    search.progress(`checking the evidence of ${executionId}`);
    const check = await checkDrillEvidence(s3, folder, executionId);
    checks.push(check);
    const why = whyNotProof(check, search.repository) ?? (await search.accept?.(check));
    if (!why) return { checks, proof: check, examined };
    examined.push({ executionId, why });
  }
  return { checks, examined };
}
