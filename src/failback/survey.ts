import type { S3Client } from '@aws-sdk/client-s3';
import { quoted } from '../validation/errors.js';
import { compareListings, type Divergence } from './divergence.js';
import { type FailbackLayout, pointerTargets, runPrefix } from './layout.js';
import { listRun } from './listing.js';
import { type CapturedPointer, sha256Hex } from './plan.js';
import { capturePointer } from './pointers.js';

/** What verify-before found: the pointers as they are now and how the two runs' objects compare. */
export interface Survey {
  pointers: CapturedPointer[];
  primaryPrefix: string;
  drPrefix: string;
  primaryObjects: number;
  drObjects: number;
  divergence: Divergence;
}

export async function surveyFailback(
  s3: S3Client,
  layout: FailbackLayout,
  runs: { primaryRunId: string; drRunId: string },
): Promise<Survey> {
  const primaryPrefix = runPrefix(layout, runs.primaryRunId);
  const drPrefix = runPrefix(layout, runs.drRunId);
  const [pointers, primary, dr] = await Promise.all([
    Promise.all(pointerTargets(layout).map((target) => capturePointer(s3, layout.bucket, target))),
    listRun(s3, layout.bucket, primaryPrefix),
    listRun(s3, layout.bucket, drPrefix),
  ]);
  return {
    pointers,
    primaryPrefix,
    drPrefix,
    primaryObjects: primary.size,
    drObjects: dr.size,
    divergence: compareListings(primary, dr),
  };
}

/**
 * One sha256 over every pointer's key, ETag and content hash. The workflow's apply job passes the plan
 * job's digest back in, so it writes only if the pointers are still exactly the ones the reviewers saw.
 */
export function pointerStateDigest(pointers: CapturedPointer[]): string {
  const lines = pointers
    .map((p) => `${p.key}\t${p.etag ?? '-'}\t${p.sha256 ?? '-'}`)
    .sort()
    .join('\n');
  return sha256Hex(lines);
}

/** Where the two runs live and how many objects each has. */
export function describeRuns(survey: Survey) {
  const { primaryPrefix, drPrefix, primaryObjects, drObjects } = survey;
  return { primaryPrefix, drPrefix, primaryObjects, drObjects };
}

/** The pointers as a receipt or report shows them (no bodies: their sha256 identifies them). */
export function describePointers(pointers: CapturedPointer[]) {
  return pointers.map((p) => ({
    name: p.name,
    key: p.key,
    run_id: p.runId ?? null,
    etag: p.etag ?? null,
    version_id: p.versionId ?? null,
    sha256: p.sha256 ?? null,
    problem: p.problem ?? null,
  }));
}

/** The refusal message: every pointer and the run id it names, so the operator sees the whole state. */
export function refusalMessage(pointers: CapturedPointer[], drRunId: string, problems: string[]): string {
  const state = pointers
    .map(
      (p) => `${p.key} → ${p.runId !== undefined ? `${quoted(p.runId)}` : `(${p.problem ?? 'unreadable'})`}`,
    )
    .join('; ');
  return `refusing failback before any write: ${problems.join('; ')}. Every pointer must name the DR run ${quoted(drRunId)}. Pointers now: ${state}`;
}
