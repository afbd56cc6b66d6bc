import * as core from '@actions/core';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseBoolean } from '../../src/validation/primitives.js';

/** One table of cases; the project's pure parser and @actions/core's getBooleanInput must agree on each. */
const CASES: [raw: string, expected: boolean | 'error'][] = [
  ['true', true],
  ['True', true],
  ['TRUE', true],
  [' true \n', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['tRuE', 'error'],
  ['fALSE', 'error'],
  ['yes', 'error'],
  ['no', 'error'],
  ['on', 'error'],
  ['0', 'error'],
  ['1', 'error'],
  ['fals', 'error'],
];

describe('boolean inputs: parseBoolean against core.getBooleanInput', () => {
  afterEach(() => {
    delete process.env['INPUT_PLAN-ONLY'];
  });

  it.each(CASES)('%j is %s for both', (raw, expected) => {
    process.env['INPUT_PLAN-ONLY'] = raw;
    const toolkit = attempt(() => core.getBooleanInput('plan-only'));
    const ours = attempt(() => parseBoolean('plan-only', raw, false));
    expect(toolkit).toBe(expected);
    expect(ours).toBe(expected);
  });

  it('an empty input is the default for the parser (the toolkit would throw: it has no default)', () => {
    expect(parseBoolean('plan-only', '', true)).toBe(true);
    expect(() => parseBoolean('plan-only', 'no', false)).toThrow("input 'plan-only': expected true or false");
  });
});

function attempt(read: () => boolean): boolean | 'error' {
  try {
    return read();
  } catch {
    return 'error';
  }
}
