import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

// scripts/test-summary.mjs prints the line CI reads last; a run that failed must never print "0 failed".
const dir = mkdtempSync(path.join(tmpdir(), 'test-summary-'));
function summary(results: object, status: string, coverage?: object) {
  const file = path.join(dir, `results-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(results));
  const coverageFile = path.join(dir, `coverage-${Math.random()}.json`);
  if (coverage) writeFileSync(coverageFile, JSON.stringify(coverage));
  const run = spawnSync(process.execPath, ['scripts/test-summary.mjs', file, status, coverageFile], {
    encoding: 'utf8',
  });
  return run.stdout.trim().split('\n');
}
const passing = {
  numPassedTests: 5,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  testResults: [],
};
const pct = (value: number) => ({ pct: value });

describe('the test summary line', () => {
  it('is last, after the coverage figures', () => {
    const lines = summary(passing, '0', {
      total: { lines: pct(96.5), statements: pct(96.5), branches: pct(84.4), functions: pct(96.6) },
    });
    expect(lines).toEqual([
      'coverage: lines 96.5%, statements 96.5%, branches 84.4%, functions 96.6%',
      '5 passed, 0 failed',
    ]);
  });

  it('counts a Jest failure with every test passed (a missed coverage threshold) as a failure', () => {
    expect(summary(passing, '1').at(-1)).toBe('5 passed, 1 failed');
  });

  it('counts a suite that failed to load as a failure', () => {
    const broken = { ...passing, testResults: [{ status: 'failed', assertionResults: [] }] };
    expect(summary(broken, '1').at(-1)).toBe('5 passed, 1 failed');
  });
});
