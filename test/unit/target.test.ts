import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TARGET, parseTargetKind, parseTargetName, TARGET_KINDS } from '../../src/targets/target.js';

const cases = JSON.parse(readFileSync('test/fixtures/target-name-cases.json', 'utf8')) as {
  valid: string[];
  invalid: string[];
};

describe('target names (the one table in test/fixtures/target-name-cases.json)', () => {
  it.each(cases.valid)('accepts %j', (name) => {
    expect(parseTargetName('target', name)).toBe(name);
  });
  // '' is not a name, but an input left empty means the default target.
  it.each(cases.invalid.filter((name) => name !== ''))('refuses %j, naming the rule', (name) => {
    expect(() => parseTargetName('target', name)).toThrow(/is not a target name: 1-31 characters/);
  });
  it('an empty input is the default target', () => {
    expect(parseTargetName('target', '')).toBe(DEFAULT_TARGET.name);
  });
});

describe('target kinds', () => {
  it.each(TARGET_KINDS)('accepts %s', (kind) => {
    expect(parseTargetKind('target-kind', kind)).toBe(kind);
  });
  it.each(['K3S', 'gke', 'k8s', 'eks-fargate'])('refuses %j', (kind) => {
    expect(() => parseTargetKind('target-kind', kind)).toThrow(/use k3s or eks/);
  });
  it('an empty input is k3s, what a deployment always was', () => {
    expect(parseTargetKind('target-kind', '')).toBe('k3s');
  });
});
