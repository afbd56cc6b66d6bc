import type { S3Client } from '@aws-sdk/client-s3';
import { normalizeEtag } from './divergence.js';
import type { PointerTarget } from './layout.js';
import type { CapturedPointer } from './plan.js';
import { capturePointer } from './pointers.js';

export interface PointerExpectation extends PointerTarget {
  runId: string;
  /** The ETag the apply step's write produced; anything else means the pointer changed again. */
  etag?: string;
  sha256?: string;
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
  if (pointer.problem) return { ...seen, ok: false, problem: pointer.problem };
  if (pointer.runId !== expected.runId)
    return { ...seen, ok: false, problem: `names run '${pointer.runId}', expected '${expected.runId}'` };
  if (expected.etag && normalizeEtag(pointer.etag ?? '') !== normalizeEtag(expected.etag))
    return {
      ...seen,
      ok: false,
      problem: `ETag ${pointer.etag} is not the one our write produced (${expected.etag})`,
    };
  if (expected.sha256 && pointer.sha256 !== expected.sha256)
    return { ...seen, ok: false, problem: 'content differs from the planned content' };
  return { ...seen, ok: true };
}
