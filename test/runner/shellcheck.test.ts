import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

const SCRIPTS = [
  'src/runner/restore.sh',
  'src/runner/validate.sh',
  'src/runner/activate.sh',
  'test/fixtures/runner/bin/k3s',
  'test/fixtures/runner/bin/aws',
  'test/fixtures/runner/bin/kubectl',
  'test/fixtures/runner/fake-k3s-client.bash',
];

describe('runner scripts', () => {
  it('are shellcheck-clean (scripts/bootstrap.sh installs shellcheck)', () => {
    const result = spawnSync('shellcheck', ['--severity=style', '--shell=bash', ...SCRIPTS], {
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('declare a script version the report carries', () => {
    for (const script of SCRIPTS.slice(0, 3)) {
      const text = spawnSync('grep', ['-c', '^readonly SCRIPT_VERSION=[0-9]', script], { encoding: 'utf8' });
      expect(text.stdout.trim()).toBe('1');
    }
  });
});
