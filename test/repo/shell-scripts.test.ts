import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

/** Every tracked shell script: *.sh anywhere, plus the extension-less ones CI and the runner use. */
function trackedShellScripts(): string[] {
  const listed = spawnSync('git', ['ls-files', '*.sh', '.ci/run'], { encoding: 'utf8' });
  expect(listed.status).toBe(0);
  return listed.stdout.split('\n').filter(Boolean);
}

describe('tracked shell scripts', () => {
  it('include the scripts a fresh clone runs first', () => {
    expect(trackedShellScripts()).toEqual(
      expect.arrayContaining([
        'scripts/bootstrap.sh',
        'scripts/test.sh',
        'scripts/drill-local.sh',
        '.ci/run',
      ]),
    );
  });

  it('pass shellcheck at warning level (POSIX sh scripts are checked as sh, so -nt and the like fail)', () => {
    const result = spawnSync('shellcheck', ['--severity=warning', ...trackedShellScripts()], {
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
