import { describe, expect, it } from '@jest/globals';
import {
  joinKey,
  parseAccountId,
  parseBoolean,
  parseBucketName,
  parseExecutionId,
  parseKeyPrefix,
  parseList,
  parseNumber,
} from '../../src/validation/primitives.js';

describe('input validation', () => {
  it('parses booleans strictly: "false" is false, anything odd is an error', () => {
    expect(parseBoolean('force-run', 'false', true)).toBe(false);
    expect(parseBoolean('force-run', 'TRUE', false)).toBe(true);
    expect(parseBoolean('force-run', '', true)).toBe(true);
    for (const odd of ['no', '0', 'yes', 'off', 'fals']) {
      expect(() => parseBoolean('force-run', odd, false)).toThrow(
        /input 'force-run': expected true or false/,
      );
    }
  });

  it('parses numbers strictly', () => {
    expect(parseNumber('max-freshness-hours', '26', {})).toBe(26);
    expect(parseNumber('max-freshness-hours', '1.5', {})).toBe(1.5);
    expect(parseNumber('x', '', { fallback: 3 })).toBe(3);
    expect(() => parseNumber('max-freshness-hours', '26h', {})).toThrow(/expected a number, got '26h'/);
    expect(() => parseNumber('max-freshness-hours', 'NaN', {})).toThrow(/expected a number/);
    expect(() => parseNumber('concurrency', '0', { min: 1 })).toThrow(/at least 1/);
    expect(() => parseNumber('concurrency', '2.5', { integer: true })).toThrow(/whole number/);
  });

  it('accepts valid bucket names and refuses illegal ones', () => {
    expect(parseBucketName('b', 'my-publisher.data')).toBe('my-publisher.data');
    for (const bad of [
      'My_Bucket',
      'ab',
      'a..b',
      '-abc',
      '192.168.1.1',
      'bucket/with/slash',
      'x'.repeat(64),
    ]) {
      expect(() => parseBucketName('publish-bucket', bad)).toThrow(/input 'publish-bucket'/);
    }
  });

  it('normalises prefixes and refuses illegal characters or traversal', () => {
    expect(parseKeyPrefix('p', '/batch/daily/')).toBe('batch/daily');
    expect(parseKeyPrefix('p', '')).toBe('');
    for (const bad of ['batch/../x', 'a//b', 'bad prefix', 'semi;colon', 'back\\slash', 'uni©ode']) {
      expect(() => parseKeyPrefix('publish-prefix', bad)).toThrow(/input 'publish-prefix'/);
    }
  });

  it('restricts execution ids to [A-Za-z0-9._-]', () => {
    expect(parseExecutionId('execution-id', 'gh-123.4_x')).toBe('gh-123.4_x');
    for (const bad of ['a/b', '..', 'has space', '', 'x'.repeat(129)]) {
      expect(() => parseExecutionId('execution-id', bad)).toThrow(/input 'execution-id'/);
    }
  });

  it('checks account ids and splits lists', () => {
    expect(parseAccountId('expected-account-id', '')).toBeUndefined();
    expect(parseAccountId('expected-account-id', '123456789012')).toBe('123456789012');
    expect(() => parseAccountId('expected-account-id', '1234')).toThrow(/12-digit/);
    expect(parseList('a/b, c/d\n\n e/f\n# comment')).toEqual(['a/b', 'c/d', 'e/f']);
    expect(joinKey('', 'state', 'x.json')).toBe('state/x.json');
  });
});
