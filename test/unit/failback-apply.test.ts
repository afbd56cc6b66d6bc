import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { applyPlan } from '../../src/failback/apply.js';
import { type CapturedPointer, type PointerChange, sha256Hex } from '../../src/failback/plan.js';
import { checkPointer, expectationsAfter, type PointerExpectation } from '../../src/failback/verify.js';

/** An S3 stand-in for PutObject with If-Match, where a test can change an object behind our back. */
class FakeS3 {
  objects = new Map<string, { body: string; etag: string }>();
  private version = 0;
  /** Runs after each successful put: the test's chance to interfere. */
  afterPut: (key: string) => void = () => {};

  put(key: string, body: string) {
    this.version += 1;
    this.objects.set(key, { body, etag: `"v${this.version}"` });
  }

  async send(command: PutObjectCommand) {
    const { Key, IfMatch, Body } = command.input as { Key: string; IfMatch: string; Body: Buffer };
    const current = this.objects.get(Key);
    if (!current || current.etag !== IfMatch)
      throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
        name: 'PreconditionFailed',
        $metadata: { httpStatusCode: 412 },
      });
    this.put(Key, Body.toString());
    const written = this.objects.get(Key)?.etag;
    this.afterPut(Key);
    return { ETag: written };
  }
}

function setup(keys: string[]) {
  const s3 = new FakeS3();
  for (const key of keys) s3.put(key, `{"run_id":"dr"}`);
  const originals: CapturedPointer[] = keys.map((key) => {
    const body = Buffer.from(s3.objects.get(key)?.body ?? '');
    return { name: key, key, etag: s3.objects.get(key)?.etag, body, sha256: sha256Hex(body), runId: 'dr' };
  });
  const changes: PointerChange[] = originals.map((o) => ({
    name: o.key,
    key: o.key,
    fromRunId: 'dr',
    toRunId: 'primary',
    etag: o.etag ?? '',
    currentSha256: o.sha256 ?? '',
    body: '{"run_id":"primary"}',
    sha256: sha256Hex('{"run_id":"primary"}'),
  }));
  return { s3, originals, changes };
}

describe('applyPlan', () => {
  it('reports a switched pointer someone changed again before the rollback as not restored', async () => {
    const { s3, originals, changes } = setup(['a', 'b', 'c']);
    s3.afterPut = (key) => {
      if (key === 'a') s3.put('a', '{"run_id":"someone-else"}');
      if (key === 'b') s3.put('c', '{"run_id":"dr-43"}');
    };
    const result = await applyPlan(s3 as unknown as S3Client, 'bucket', changes, originals);
    expect(result.writes.map((w) => w.status)).toEqual(['switched', 'switched', 'conflict']);
    expect(result.rollback.map((r) => [r.key, r.status])).toEqual([
      ['b', 'restored'],
      ['a', 'not-restored'],
    ]);
    expect(result.rollback[1]?.error).toContain('PreconditionFailed');
    expect(s3.objects.get('a')?.body).toBe('{"run_id":"someone-else"}');
    expect(s3.objects.get('b')?.body).toBe('{"run_id":"dr"}');
    expect(s3.objects.get('c')?.body).toBe('{"run_id":"dr-43"}');
  });

  it('writes nothing more after the first refused write', async () => {
    const { s3, originals, changes } = setup(['a', 'b']);
    s3.put('a', '{"run_id":"changed"}');
    const result = await applyPlan(s3 as unknown as S3Client, 'bucket', changes, originals);
    expect(result.writes.map((w) => w.status)).toEqual(['conflict', 'not-attempted']);
    expect(result.rollback).toEqual([]);
    expect(s3.objects.get('b')?.body).toBe('{"run_id":"dr"}');
  });
});

describe('verify-after expectations', () => {
  const { changes } = setup(['a', 'b', 'c']);
  const seen = (key: string, runId: string, body: string, etag = '"x"'): CapturedPointer => ({
    name: key,
    key,
    runId,
    etag,
    body: Buffer.from(body),
    sha256: sha256Hex(body),
  });

  it('after a clean apply, every pointer must carry exactly our bytes and ETag', () => {
    const apply = {
      writes: changes.map((c) => ({ name: c.name, key: c.key, status: 'switched' as const, etag: '"new"' })),
      rollback: [],
    };
    const [first] = expectationsAfter(changes, apply) as [PointerExpectation];
    expect(checkPointer(seen('a', 'primary', '{"run_id":"primary"}', '"new"'), first).ok).toBe(true);
    expect(checkPointer(seen('a', 'primary', '{"run_id":"primary"}', '"later"'), first).problem).toBe(
      'ETag "later", expected "new": changed by someone else since',
    );
  });

  it('after a stopped apply, flags a write reported failed that landed anyway and a pointer not restored', () => {
    const apply = {
      writes: [
        { name: 'a', key: 'a', status: 'switched' as const, etag: '"new"' },
        { name: 'b', key: 'b', status: 'failed' as const, error: 'timeout' },
        { name: 'c', key: 'c', status: 'not-attempted' as const },
      ],
      rollback: [{ name: 'a', key: 'a', status: 'not-restored' as const, error: 'PreconditionFailed' }],
    };
    const [a, b, c] = expectationsAfter(changes, apply) as [
      PointerExpectation,
      PointerExpectation,
      PointerExpectation,
    ];
    expect(checkPointer(seen('a', 'primary', '{"run_id":"primary"}'), a).problem).toBe(
      "names run 'primary', expected 'dr'",
    );
    expect(checkPointer(seen('b', 'primary', '{"run_id":"primary"}'), b).problem).toBe(
      'carries the content failback planned, although its write did not succeed',
    );
    expect(checkPointer(seen('c', 'dr', '{"run_id":"dr"}', changes[2]?.etag), c).ok).toBe(true);
  });
});
