import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { preflight } from '../../src/terraform/preflight.js';
import {
  INJECTED_VARIABLES,
  TARGET_KIND_VARIABLE,
  TARGET_VARIABLE,
} from '../../src/terraform/runner-contract.js';

/** A runner module from before targets: the contract's variables, the S3 backend, no target_kind. */
function olderModule(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-older-module-'));
  writeFileSync(path.join(dir, 'versions.tf'), 'terraform {\n  backend "s3" {}\n}\n');
  writeFileSync(
    path.join(dir, 'variables.tf'),
    INJECTED_VARIABLES.map((name) => `variable "${name}" {\n  type = string\n}\n`).join('\n'),
  );
  return dir;
}
const injected = (kind: string) => ({
  ...Object.fromEntries(INJECTED_VARIABLES.map((name) => [name, 'x'])),
  [TARGET_KIND_VARIABLE]: kind,
});

describe('bringup preflight: the target kind against the runner module', () => {
  it('refuses an eks target on a module that cannot build one, before Terraform runs', () => {
    const checked = preflight(olderModule(), injected('eks'), {}, {});
    expect(checked.failure?.reason).toBe('invalid_input');
    expect(checked.failure?.message).toMatch(
      /does not declare target_kind: this runner module can only build a k3s/,
    );
  });

  it('lets a k3s target through on that module (Terraform ignores the undeclared value)', () => {
    expect(preflight(olderModule(), injected('k3s'), {}, {}).failure).toBeUndefined();
  });

  it("this release's runner module declares it", () => {
    expect(preflight('terraform/runner', injected('eks'), {}, {}).failure?.message ?? '').not.toMatch(
      /does not declare target_kind/,
    );
  });
});

describe('bringup preflight: the target name against the runner module', () => {
  const withTarget = (target: string) => ({ ...injected('k3s'), [TARGET_VARIABLE]: target });

  it('warns when a module without the target variable builds a runner for a target other than default', () => {
    const checked = preflight(olderModule(), withTarget('orders'), {}, {});
    expect(checked.failure).toBeUndefined();
    expect(checked.warnings).toEqual([
      expect.stringMatching(/does not declare target: .*counts it as target default, not orders/),
    ]);
    expect(preflight(olderModule(), withTarget('default'), {}, {}).warnings).toEqual([]);
  });

  it("this release's runner module declares it", () => {
    expect(preflight('terraform/runner', withTarget('orders'), {}, {}).warnings.join('\n')).not.toMatch(
      /does not declare target/,
    );
  });
});
