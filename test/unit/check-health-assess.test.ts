import { describe, expect, it } from '@jest/globals';
import {
  assessHealth,
  decideProceed,
  interpretPointer,
  type ObjectRead,
} from '../../src/phases/check-health/assess.js';
import { parseCheckHealthInputs } from '../../src/phases/check-health/inputs.js';

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

describe('decideProceed (trigger safety)', () => {
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
  ])('refuses %p', (overrides, message) => {
    expect(() => parse(overrides)).toThrow(message);
  });

  it('uses the pipeline as the default metric dimension', () => {
    expect(parse({ 'publish-prefix': 'batch' }).metrics.dimensions).toEqual([
      { Name: 'Pipeline', Value: 'pub/batch' },
    ]);
  });
});
