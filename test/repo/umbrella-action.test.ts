import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { phaseCatalog } from '../../src/phases/registry.js';

interface ActionFile {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const read = (file: string) => parse(readFileSync(file, 'utf8')) as ActionFile;
const umbrella = read('action.yml');

/** What GitHub checks when a step `uses:` an action: every required input given, no unknown input. */
function validates(action: ActionFile, withInputs: Record<string, string>): string[] {
  const problems = Object.entries(action.inputs)
    .filter(([name, spec]) => spec.required && !(name in withInputs))
    .map(([name]) => `missing required input ${name}`);
  for (const name of Object.keys(withInputs))
    if (!(name in action.inputs)) problems.push(`unexpected input ${name}`);
  return problems;
}

/** The inputs a step for this phase passes: its own required ones and the phase name. */
function stepInputs(phase: string): Record<string, string> {
  const own = read(`actions/${phase}/action.yml`);
  const required = Object.entries(own.inputs).filter(([, spec]) => spec.required);
  return { phase, ...Object.fromEntries(required.map(([name]) => [name, 'x'])) };
}

describe('the generated umbrella action.yml (uses: ./ with phase: ...)', () => {
  it('marks no input required: each phase checks its own (a notify step never has to pass bringup inputs)', () => {
    expect(Object.entries(umbrella.inputs).filter(([, spec]) => spec.required)).toEqual([]);
  });

  it.each(phaseCatalog.map((p) => p.name))(
    'validates `uses: ./` with `phase: %s` and that phase’s required inputs',
    (phase) => {
      expect(validates(umbrella, stepInputs(phase))).toEqual([]);
    },
  );

  it('a step with phase: notify and only notify’s inputs validates; the old file (required inputs) would not', () => {
    const notify = { phase: 'notify', event: 'validated', 'receipt-bucket': 'receipts' };
    expect(validates(umbrella, notify)).toEqual([]);
    const old = { ...umbrella, inputs: { ...umbrella.inputs, 'state-bucket': { required: true } } };
    expect(validates(old, notify)).toEqual(['missing required input state-bucket']);
  });

  it('declares every output any phase sets, and runs on node24', async () => {
    for (const phase of phaseCatalog)
      for (const name of Object.keys((await phase.loadOutputSchema()).shape))
        expect(umbrella.outputs).toHaveProperty([name]);
    expect(umbrella.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
  });
});

describe('each actions/<phase>/action.yml', () => {
  it.each(phaseCatalog.map((p) => p.name))(
    '%s declares exactly the outputs of its schema (and the common ones)',
    async (name) => {
      const schema = await phaseCatalog.find((p) => p.name === name)?.loadOutputSchema();
      const declared = Object.keys(read(`actions/${name}/action.yml`).outputs).sort();
      expect(declared).toEqual(
        [...Object.keys(schema?.shape ?? {}), 'status', 'receipt-uri', 'receipt-sha256'].sort(),
      );
    },
  );
});
