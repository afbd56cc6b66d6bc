import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseRestoreInputs } from '../../src/phases/restore/inputs.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';

type Cases = { valid: string[]; invalid: string[] };
const CASES = JSON.parse(readFileSync('test/fixtures/eks-restore-input-cases.json', 'utf8')) as {
  loader_image: Cases;
  storage_class: Cases;
};
const CHECKED = [
  ['loader-image', 'STANDBY_LOADER_IMAGE', CASES.loader_image],
  ['storage-class', 'STANDBY_STORAGE_CLASS', CASES.storage_class],
] as const;

const phaseAccepts = (input: string, value: string) => {
  const given: Record<string, string> = {
    'instance-id': 'i-0123456789abcdef0',
    namespace: 'jobintel',
    'state-claim': 'jobintel-state',
    'wait-seconds': '120',
    'timeout-seconds': '1800',
    [input]: value,
  };
  try {
    parseRestoreInputs((name) => given[name] ?? '');
    return true;
  } catch {
    return false;
  }
};

describe('the eks restore inputs: the phase and restore.sh accept and refuse the same values (one table)', () => {
  it('the restore phase', () => {
    for (const [input, , cases] of CHECKED) {
      for (const good of cases.valid)
        expect([input, good, phaseAccepts(input, good)]).toEqual([input, good, true]);
      for (const bad of cases.invalid)
        expect([input, bad, phaseAccepts(input, bad)]).toEqual([input, bad, false]);
    }
  });

  it('restore.sh on an eks runner, at its start (before any download)', () => {
    const sandbox = new RunnerSandbox({ target: 'eks' });
    const env = {
      STANDBY_BACKUP_URI: 's3://backups/batch/backups/bk-1',
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_STATE_CLAIM: 'jobintel-state',
    };
    for (const [, variable, cases] of CHECKED) {
      const refused = (value: string) => {
        const { report } = sandbox.run('restore.sh', { ...env, [variable]: value });
        return report?.step === 'start' && String(report.error).includes(variable);
      };
      for (const good of cases.valid)
        expect([variable, good, refused(good)]).toEqual([variable, good, false]);
      for (const bad of cases.invalid) expect([variable, bad, refused(bad)]).toEqual([variable, bad, true]);
    }
  });
});
