import { describe, expect, it } from '@jest/globals';
import { parseIsoTimestamp } from '../../src/util/time.js';

describe('parseIsoTimestamp', () => {
  it('reads an offset with microseconds exactly', () => {
    expect(parseIsoTimestamp('2026-11-21T10:00:00.123456-05:00')?.toISOString()).toBe(
      '2026-11-21T15:00:00.123Z',
    );
  });
  it('reads Z, +hh:mm and +hhmm forms', () => {
    expect(parseIsoTimestamp('2026-11-21T10:00:00Z')?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(parseIsoTimestamp('2026-11-21T10:00:00+05:30')?.toISOString()).toBe('2026-11-21T04:30:00.000Z');
    expect(parseIsoTimestamp('2026-11-21T10:00:00.5+0000')?.toISOString()).toBe('2026-11-21T10:00:00.500Z');
  });
  it.each([
    ['2026-11-21'],
    ['2026-11-21T10:00:00'],
    ['yesterday'],
    ['2026-02-30T00:00:00Z'],
    ['2026-11-21T25:00:00Z'],
    [''],
    [42],
    [null],
  ])('refuses %p', (raw) => {
    expect(parseIsoTimestamp(raw)).toBeUndefined();
  });
});
