import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readPins } from '../helpers/terraform-modules.js';

/** The user data as Terraform renders it for the pinned k3s (main.tf builds the URL with urlencode). */
function renderUserData(): string {
  const pins = readPins();
  const values: Record<string, string> = {
    k3s_version: pins.k3s.version,
    k3s_sha256: pins.k3s.arm64_sha256,
    k3s_url: `https://github.com/k3s-io/k3s/releases/download/${encodeURIComponent(pins.k3s.version)}/k3s-arm64`,
  };
  const template = readFileSync(path.resolve('terraform/runner/user-data.sh.tftpl'), 'utf8');
  return template.replace(/\$\{([a-z0-9_]+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`unknown placeholder ${name}`);
    return values[name] as string;
  });
}

describe('runner user data', () => {
  it('downloads exactly the pinned release asset and checks the pinned sha256', () => {
    const script = renderUserData();
    const pins = readPins();
    expect(script).toContain(
      `'https://github.com/k3s-io/k3s/releases/download/${pins.k3s.version.replace('+', '%2B')}/k3s-arm64'`,
    );
    expect(script).toContain(`echo '${pins.k3s.arm64_sha256}  '"$workdir/k3s" | sha256sum --check --strict`);
    expect(script).toMatch(/^set -euo pipefail$/m);
  });

  it('is valid bash and shellcheck-clean once rendered', () => {
    const script = renderUserData();
    execFileSync('bash', ['-n'], { input: script });
    // shellcheck is installed by `scripts/bootstrap.sh --test-tools`; a finding fails with its text.
    const run = () =>
      execFileSync('shellcheck', ['--shell=bash', '--severity=style', '-'], {
        input: script,
        encoding: 'utf8',
      });
    expect(run).not.toThrow();
  });
});
