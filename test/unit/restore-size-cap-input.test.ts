import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseRestoreInputs } from '../../src/phases/restore/inputs.js';

/** The one table of cases restore.sh is tested against too (test/runner/restore-expansion.test.ts). */
const CASES = JSON.parse(readFileSync('test/fixtures/undeclared-size-cap-cases.json', 'utf8')) as {
  valid: string[];
  invalid: string[];
};

const INPUTS: Record<string, string> = {
  'instance-id': 'i-0123456789abcdef0',
  'backup-uri': 's3://b-1/backups/x',
  namespace: 'jobintel',
  'state-claim': 'state',
  'wait-seconds': '120',
  'timeout-seconds': '60',
};
const parse = (extra: Record<string, string> = {}) =>
  parseRestoreInputs((name) => ({ ...INPUTS, ...extra })[name] ?? '');

describe('restore input undeclared-size-cap (issue 19.8)', () => {
  it('19.8: defaults to 80% of the free space; takes a byte count or a percentage as restore.sh does', () => {
    expect(parse().undeclaredSizeCap).toBe('80%');
    for (const good of CASES.valid)
      expect(parse({ 'undeclared-size-cap': good }).undeclaredSizeCap).toBe(good);
  });
  it.each(CASES.invalid)('19.8: refuses %s', (bad) => {
    expect(() => parse({ 'undeclared-size-cap': bad })).toThrow(/input 'undeclared-size-cap'/);
  });
});
