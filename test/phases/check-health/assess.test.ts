import { describe, expect, it } from '@jest/globals';
import {
  assessHealth,
  decideProceed,
  interpretPointer,
  type ObjectRead,
} from '../../../src/phases/check-health/assess.js';
import { parseCheckHealthInputs } from '../../../src/phases/check-health/inputs.js';

const now = new Date('2026-11-22T12:00:00Z');
const found = (body: unknown, lastModified?: Date): ObjectRead => ({
  kind: 'found',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  lastModified,
});
const marker: ObjectRead = { kind: 'found' };
const codes = (reasons: { code: string }[]) => reasons.map((r) => r.code);

describe('interpretPointer', () => {
  it('ages from ended_at with a -05:00 offset and microseconds', () => {
    const pointer = interpretPointer(
      found({ run_id: 'r1', ended_at: '2026-11-22T01:30:00.123456-05:00' }),
      'global',
      now,
    );
    expect(pointer.reasons).toEqual([]);
    expect(pointer.ageHours).toBeCloseTo(5.5, 3);
    expect(pointer.ageSource).toBe('ended_at');
  });

  it('falls back to LastModified when ended_at is absent', () => {
    const pointer = interpretPointer(
      found({ run_id: 'r1' }, new Date('2026-11-22T09:00:00Z')),
      'global',
      now,
    );
    expect(pointer.ageHours).toBe(3);
    expect(pointer.ageSource).toBe('last_modified');
    expect(pointer.reasons).toEqual([]);
  });

  it('turns a future ended_at into a reason, not a negative age', () => {
    const pointer = interpretPointer(
      found({ run_id: 'r1', ended_at: '2026-11-23T00:00:00Z' }, new Date('2026-11-22T10:00:00Z')),
      'global',
      now,
    );
    expect(codes(pointer.reasons)).toEqual(['pointer_in_future']);
    expect(pointer.ageHours).toBe(2);
  });

  it.each([
    ['malformed JSON', found('{"run_id": '), 'pointer_malformed'],
    ['a JSON array', found([1, 2]), 'pointer_malformed'],
    ['no run_id', found({ ended_at: '2026-11-22T11:00:00Z' }), 'pointer_field_missing'],
    ['a bad timestamp', found({ run_id: 'r', ended_at: 'last tuesday' }), 'pointer_bad_timestamp'],
    ['a missing object', { kind: 'missing' } as ObjectRead, 'pointer_missing'],
    ['access denied', { kind: 'denied', detail: 'AccessDenied' } as ObjectRead, 'pointer_unreadable'],
  ])('reports %s as %s', (_label, read, code) => {
    expect(codes(interpretPointer(read, 'global', now).reasons)).toContain(code);
  });
});

describe('assessHealth', () => {
  const fresh = { run_id: 'r1', ended_at: '2026-11-22T10:00:00Z' };
  const pair = (name: string, pointer: ObjectRead = found(fresh), mark: ObjectRead = marker) => ({
    pair: name,
    pointer,
    marker: mark,
  });

  it('is healthy when fresh and every pair is consistent', () => {
    const health = assessHealth({
      global: found(fresh),
      pairs: [pair('a/daily'), pair('b/daily')],
      maxFreshnessHours: 26,
      now,
    });
    expect(health).toMatchObject({ needsDr: false, publishCorrect: true, freshnessHours: 2, reasons: [] });
  });

  it('is stale past the limit but still publish-correct', () => {
    const health = assessHealth({
      global: found({ run_id: 'r1', ended_at: '2026-11-20T12:00:00Z' }),
      pairs: [pair('a/daily')],
      maxFreshnessHours: 26,
      now,
    });
    expect(codes(health.reasons)).toEqual(['stale']);
    expect(health.needsDr).toBe(true);
    expect(health.publishCorrect).toBe(true);
    expect(health.freshnessHours).toBe(48);
  });

  it('checks EVERY pair: a run_id mismatch and a missing marker on different pairs are both reported', () => {
    const health = assessHealth({
      global: found(fresh),
      pairs: [
        pair('a/daily'),
        pair('b/daily', found({ run_id: 'r0' })),
        pair('c/hourly', found(fresh), { kind: 'missing' }),
      ],
      maxFreshnessHours: 26,
      now,
    });
    expect(health.reasons.map((r) => `${r.subject}:${r.code}`)).toEqual([
      'b/daily:run_id_mismatch',
      'c/hourly:marker_missing',
    ]);
    expect(health.publishCorrect).toBe(false);
    expect(health.pairs.map((p) => p.ok)).toEqual([true, false, false]);
  });
});

describe('a missing bucket and an unreachable S3', () => {
  it('a missing bucket is one bucket_missing reason, not a pointer_missing per pair', () => {
    const gone: ObjectRead = { kind: 'bucket-missing', detail: 'bucket pub does not exist (NoSuchBucket)' };
    const health = assessHealth({
      global: gone,
      pairs: [
        { pair: 'a/daily', pointer: gone, marker: gone },
        { pair: 'b/daily', pointer: gone, marker: gone },
      ],
      maxFreshnessHours: 26,
      now,
    });
    expect(health.reasons).toEqual([
      { code: 'bucket_missing', subject: 'global', message: 'bucket pub does not exist (NoSuchBucket)' },
    ]);
    expect(health).toMatchObject({ needsDr: true, publishCorrect: false });
    expect(health.pairs.map((p) => p.detail)).toEqual([
      'not checked: the publish bucket is missing',
      'not checked: the publish bucket is missing',
    ]);
  });

  it('an S3 that does not answer is pointer_unreadable', () => {
    const read: ObjectRead = { kind: 'error', detail: 'ServiceUnavailable: regional outage' };
    expect(codes(interpretPointer(read, 'global', now).reasons)).toEqual(['pointer_unreadable']);
  });
});

describe('decideProceed (trigger safety)', () => {
  it('a run the admission dropped never proceeds, not even a forced one, and says which run is in flight', () => {
    const dropped = { decision: 'dropped' as const, detail: 'run 501 (admitted, still running)' };
    expect(decideProceed(true, false, true, dropped)).toEqual({
      proceed: false,
      why: 'real DR already in flight (run 501 (admitted, still running)): this alarm is recorded and dropped',
    });
    expect(decideProceed(true, true, true, dropped).proceed).toBe(false);
    expect(decideProceed(true, false, true, { decision: 'admitted' }).proceed).toBe(true);
    expect(decideProceed(true, false, true, { decision: 'unchecked' }).proceed).toBe(true);
  });

  it('always runs a manual drill, never an unhealthy run with triggers off', () => {
    expect(decideProceed(false, true, false).proceed).toBe(true);
    expect(decideProceed(true, false, false)).toEqual({
      proceed: false,
      why: expect.stringContaining('triggers are disabled'),
    });
    expect(decideProceed(true, false, true).proceed).toBe(true);
    expect(decideProceed(false, false, true).proceed).toBe(false);
  });
});

describe('check-health inputs', () => {
  const base: Record<string, string> = {
    'publish-bucket': 'pub',
    providers: 'acme/daily',
    'expected-marker-file': '_SUCCESS',
    'max-freshness-hours': '26',
    concurrency: '16',
    'metric-namespace': 'Standby/Pipeline',
  };
  const parse = (overrides: Record<string, string>) =>
    parseCheckHealthInputs((name) => ({ ...base, ...overrides })[name] ?? '');

  it.each([
    [{ 'max-freshness-hours': 'soon' }, /input 'max-freshness-hours': expected a number/],
    [{ providers: '' }, /input 'providers': is empty/],
    [{ providers: ' , \n' }, /input 'providers': is empty/],
    [{ providers: 'acme' }, /'acme' is not provider\/profile/],
    [{ providers: 'acme/../x' }, /not provider\/profile/],
    [{ providers: 'a/b,a/b' }, /listed twice/],
    [{ 'publish-bucket': 'Bad_Bucket' }, /input 'publish-bucket'/],
    [{ 'publish-prefix': 'batch/../../etc' }, /input 'publish-prefix'/],
    [{ 'force-run': 'yes' }, /input 'force-run': expected true or false/],
    [{ 'metric-dimensions': 'Pipeline' }, /not Name=Value/],
    [{ 'publish-region': 'primary' }, /input 'publish-region': 'primary' is not an AWS region code/],
    [{ admission: 'maybe' }, /input 'admission': must be admitted, dropped, unchecked or empty/],
  ])('refuses %p', (overrides, message) => {
    expect(() => parse(overrides)).toThrow(message);
  });

  it('reads the publish region and the admission (empty for drills)', () => {
    expect(parse({}).publishRegion).toBeUndefined();
    expect(parse({}).admission).toEqual({ decision: '', detail: '' });
    expect(
      parse({ 'publish-region': 'us-east-1', admission: 'dropped', 'admission-detail': 'run 5' }),
    ).toMatchObject({
      publishRegion: 'us-east-1',
      admission: { decision: 'dropped', detail: 'run 5' },
    });
  });

  it('uses the pipeline as the default metric dimension', () => {
    expect(parse({ 'publish-prefix': 'batch' }).metrics.dimensions).toEqual([
      { Name: 'Pipeline', Value: 'pub/batch' },
    ]);
  });
});
