import type { S3Client } from '@aws-sdk/client-s3';
import { type ApplyResult, applyPlan } from './apply.js';
import type { CapturedPointer, PointerChange } from './plan.js';
import type { StepReceipts } from './receipts.js';
import { expectationsAfter, type PointerCheck, verifyPointers } from './verify.js';

export interface ApplyOutcome {
  outcome: 'applied' | 'apply-failed' | 'verify-failed';
  message: string;
  apply: ApplyResult;
  verification: PointerCheck[];
}

/**
 * The apply and verify-after steps. After a clean apply every pointer must carry exactly the bytes we
 * wrote (run id, ETag, sha256); after a failed one, every pointer we restored must be back on the DR run.
 */
export async function applyAndVerify(
  s3: S3Client,
  bucket: string,
  changes: PointerChange[],
  originals: CapturedPointer[],
  context: { steps: StepReceipts; now: () => Date },
): Promise<ApplyOutcome> {
  const { steps, now } = context;
  const t0 = now();
  const apply = await applyPlan(s3, bucket, changes, originals);
  const failedWrite = apply.writes.find((w) => w.status === 'conflict' || w.status === 'failed');
  const notRestored = apply.rollback.filter((r) => r.status === 'not-restored');
  const applyError = failedWrite
    ? `${failedWrite.key}: ${failedWrite.status === 'conflict' ? 'changed since the plan (conditional write refused), left as it is' : `write failed (${failedWrite.error})`}; ` +
      `rolled back ${apply.rollback.length - notRestored.length} of ${apply.rollback.length} pointers already switched` +
      (notRestored.length > 0
        ? `; NOT restored: ${notRestored.map((r) => `${r.key} (${r.error})`).join(', ')}`
        : '')
    : undefined;
  await steps.record({
    step: 'apply',
    status: failedWrite ? 'failed' : 'ok',
    startedAt: t0,
    endedAt: now(),
    outputs: { writes: apply.writes, rollback: apply.rollback },
    error: applyError
      ? { message: applyError, reason: failedWrite?.status === 'conflict' ? 'conflict' : 'write_failed' }
      : undefined,
  });

  const t1 = now();
  const expectations = expectationsAfter(changes, apply);
  const verification = await verifyPointers(s3, bucket, expectations);
  const verified = verification.every((check) => check.ok);
  await steps.record({
    step: 'verify-after',
    status: verified ? 'ok' : 'failed',
    startedAt: t1,
    endedAt: now(),
    outputs: { checks: verification, after: failedWrite ? 'rollback' : 'apply' },
    error: verified
      ? undefined
      : {
          message: verification
            .filter((c) => !c.ok)
            .map((c) => `${c.key}: ${c.problem}`)
            .join('; '),
          reason: 'verify_failed',
        },
  });

  if (applyError)
    return { outcome: 'apply-failed', message: `apply stopped: ${applyError}`, apply, verification };
  if (!verified)
    return {
      outcome: 'verify-failed',
      message: 'pointers switched, but the re-read does not match what was written',
      apply,
      verification,
    };
  return {
    outcome: 'applied',
    message: `${changes.length} pointers switched to '${changes[0]?.toRunId}' and verified`,
    apply,
    verification,
  };
}
