import type { S3Client } from '@aws-sdk/client-s3';
import type { ApplyResult } from './apply.js';
import { normalizeEtag } from './divergence.js';
import type { PointerTarget } from './layout.js';
import type { CapturedPointer, PointerChange } from './plan.js';
import { capturePointer } from './pointers.js';

export interface PointerExpectation extends PointerTarget {
  /** Unset for a pointer someone else changed: whatever they wrote is theirs to keep. */
  runId?: string;
  /** The ETag our last write (or the original) has; anything else means the pointer changed again. */
  etag?: string;
  sha256?: string;
  /** Our planned content must NOT be there (a pointer we did not manage to, or must not, switch). */
  notSha256?: string;
}

/**
 * What every pointer should look like after apply. Clean apply: exactly our planned bytes. Stopped
 * apply: restored and untouched pointers back on (or still on) the DR run; a pointer whose write failed
 * or that someone else changed must not carry our content; one we could not restore is expected on the
 * DR run, so the check reports it.
 */
export function expectationsAfter(changes: PointerChange[], apply: ApplyResult): PointerExpectation[] {
  const failed = apply.writes.some((w) => w.status === 'conflict' || w.status === 'failed');
  return changes.map((change) => {
    const target = { name: change.name, key: change.key };
    const write = apply.writes.find((w) => w.key === change.key);
    if (!failed) return { ...target, runId: change.toRunId, etag: write?.etag, sha256: change.sha256 };
    const rollback = apply.rollback.find((r) => r.key === change.key);
    if (write?.status === 'conflict') return { ...target, notSha256: change.sha256 };
    if (write?.status === 'failed') return { ...target, runId: change.fromRunId, notSha256: change.sha256 };
    if (write?.status === 'not-attempted')
      return { ...target, runId: change.fromRunId, etag: change.etag, sha256: change.currentSha256 };
    return { ...target, runId: change.fromRunId, etag: rollback?.etag, sha256: change.currentSha256 };
  });
}

export interface PointerCheck {
  name: string;
  key: string;
  ok: boolean;
  runId?: string;
  etag?: string;
  problem?: string;
}

/** Re-reads every pointer and compares it with what should be there now. */
export async function verifyPointers(
  s3: S3Client,
  bucket: string,
  expected: PointerExpectation[],
): Promise<PointerCheck[]> {
  const checks: PointerCheck[] = [];
  for (const expectation of expected) {
    checks.push(checkPointer(await capturePointer(s3, bucket, expectation), expectation));
  }
  return checks;
}

export function checkPointer(pointer: CapturedPointer, expected: PointerExpectation): PointerCheck {
  const seen = { name: pointer.name, key: pointer.key, runId: pointer.runId, etag: pointer.etag };
  if (pointer.problem && expected.runId !== undefined)
    return { ...seen, ok: false, problem: pointer.problem };
  if (expected.notSha256 && pointer.sha256 === expected.notSha256)
    return {
      ...seen,
      ok: false,
      problem: 'carries the content failback planned, although its write did not succeed',
    };
  if (expected.runId !== undefined && pointer.runId !== expected.runId)
    return { ...seen, ok: false, problem: `names run '${pointer.runId}', expected '${expected.runId}'` };
  if (expected.etag && normalizeEtag(pointer.etag ?? '') !== normalizeEtag(expected.etag))
    return {
      ...seen,
      ok: false,
      problem: `ETag ${pointer.etag}, expected ${expected.etag}: changed by someone else since`,
    };
  if (expected.sha256 && pointer.sha256 !== expected.sha256)
    return { ...seen, ok: false, problem: 'content differs from what should be there' };
  return { ...seen, ok: true };
}
