import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { KUBECTL_INVOCATION, runnerTargetEnv } from '../../src/runner/target-env.js';
import { TARGET_KINDS } from '../../src/targets/target.js';

const CASES = JSON.parse(readFileSync('test/fixtures/kubectl-invocation-cases.json', 'utf8')) as {
  valid: string[];
};

describe('what the phases tell the runner scripts about the target', () => {
  it('sends, for every target kind, a kubectl invocation the scripts accept (the one table)', () => {
    for (const kind of TARGET_KINDS) expect(CASES.valid).toContain(KUBECTL_INVOCATION[kind]);
  });

  it('k3s keeps k3s kubectl; eks uses the plain client, with the execution its node group is labelled with', () => {
    expect(runnerTargetEnv('k3s', 'drill-1')).toEqual({
      STANDBY_TARGET_KIND: 'k3s',
      STANDBY_KUBECTL: 'k3s kubectl',
      STANDBY_EXECUTION_ID: 'drill-1',
    });
    expect(runnerTargetEnv('eks', 'drill-1')).toMatchObject({
      STANDBY_TARGET_KIND: 'eks',
      STANDBY_KUBECTL: 'kubectl --kubeconfig=/var/lib/standby/kubeconfig',
    });
  });
});
