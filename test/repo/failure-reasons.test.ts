import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { FAILURE_REASONS, isUsageFailure } from '../../src/receipts/failure-reasons.js';

describe('failure reasons (src/receipts/failure-reasons.ts)', () => {
  const doc = readFileSync('docs/receipts.md', 'utf8');

  it('docs/receipts.md lists every reason with its kind, and no other', () => {
    const listed = [...doc.matchAll(/^\| `([a-z_]+)` \| (usage|failed) \|/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(listed)).toEqual(
      Object.fromEntries(Object.entries(FAILURE_REASONS).map(([reason, { kind }]) => [reason, kind])),
    );
  });

  it('only invalid_input is a usage failure (exit 2 in the CLI); the kind comes from the table', () => {
    const usage = Object.keys(FAILURE_REASONS).filter((reason) =>
      isUsageFailure({ message: '', reason: reason as keyof typeof FAILURE_REASONS }),
    );
    expect(usage).toEqual(['invalid_input']);
    expect(isUsageFailure(undefined)).toBe(false);
  });
});
