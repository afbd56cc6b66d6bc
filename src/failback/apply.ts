import type { S3Client } from '@aws-sdk/client-s3';
import type { CapturedPointer, PointerChange } from './plan.js';
import { writeIfMatch } from './pointers.js';

export interface WriteOutcome {
  name: string;
  key: string;
  status: 'switched' | 'conflict' | 'failed' | 'not-attempted';
  etag?: string;
  versionId?: string;
  error?: string;
}

export interface RollbackOutcome {
  name: string;
  key: string;
  status: 'restored' | 'not-restored';
  etag?: string;
  error?: string;
}

export interface ApplyResult {
  writes: WriteOutcome[];
  rollback: RollbackOutcome[];
}

/**
 * Writes the planned pointers one by one, each conditional on the ETag seen in the plan. At the first
 * write that does not succeed it stops and puts back the original bytes of the pointers it already
 * switched, newest first, each conditional on the ETag its own write produced: a pointer someone
 * changed after our write is left alone and reported as not restored.
 */
export async function applyPlan(
  s3: S3Client,
  bucket: string,
  changes: PointerChange[],
  originals: CapturedPointer[],
): Promise<ApplyResult> {
  const writes: WriteOutcome[] = [];
  for (const change of changes) {
    const original = originals.find((pointer) => pointer.key === change.key);
    const result = await writeIfMatch(s3, {
      bucket,
      key: change.key,
      body: change.body,
      ifMatch: change.etag,
      contentType: original?.contentType,
    });
    if (result.ok) {
      writes.push({
        name: change.name,
        key: change.key,
        status: 'switched',
        etag: result.etag,
        versionId: result.versionId,
      });
      continue;
    }
    writes.push({
      name: change.name,
      key: change.key,
      status: result.conflict ? 'conflict' : 'failed',
      error: result.error,
    });
    for (const rest of changes.slice(writes.length))
      writes.push({ name: rest.name, key: rest.key, status: 'not-attempted' });
    return { writes, rollback: await rollBack(s3, bucket, writes, originals) };
  }
  return { writes, rollback: [] };
}

async function rollBack(
  s3: S3Client,
  bucket: string,
  writes: WriteOutcome[],
  originals: CapturedPointer[],
): Promise<RollbackOutcome[]> {
  const outcomes: RollbackOutcome[] = [];
  for (const write of writes.filter((w) => w.status === 'switched').reverse()) {
    const original = originals.find((pointer) => pointer.key === write.key);
    if (!original?.body || !write.etag) {
      outcomes.push({
        name: write.name,
        key: write.key,
        status: 'not-restored',
        error: 'original content unknown',
      });
      continue;
    }
    const result = await writeIfMatch(s3, {
      bucket,
      key: write.key,
      body: original.body,
      ifMatch: write.etag,
      contentType: original.contentType,
    });
    outcomes.push(
      result.ok
        ? { name: write.name, key: write.key, status: 'restored', etag: result.etag }
        : { name: write.name, key: write.key, status: 'not-restored', error: result.error },
    );
  }
  return outcomes;
}
