import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { RunnerSandbox, type RunnerScriptFile } from '../helpers/runner-sandbox.js';

/** STANDBY_KUBECTL, the target seam of the runner scripts: one table every script is run against. */
const CASES = JSON.parse(readFileSync('test/fixtures/kubectl-invocation-cases.json', 'utf8')) as {
  valid: string[];
  invalid: string[];
};
const REFUSED = /STANDBY_KUBECTL is not a command of plain words/;
// The least each script needs to get past its own input checks to its first kubectl call.
const ENV: Record<RunnerScriptFile, Record<string, string>> = {
  'restore.sh': { STANDBY_BACKUP_URI: 's3://backups/batch/backups/bk-1' },
  'validate.sh': {
    STANDBY_NAMESPACE: 'jobintel',
    STANDBY_READY_TIMEOUT_SECONDS: '0',
    STANDBY_POLL_SECONDS: '0',
  },
  'activate.sh': { STANDBY_NAMESPACE: 'jobintel', STANDBY_CRONJOBS: 'jobintel-daily' },
};
const complaints = (report: Record<string, unknown> | undefined) =>
  JSON.stringify([report?.error ?? null, report?.failures ?? []]);

describe('the kubectl seam (STANDBY_KUBECTL): one table of invocations, every script', () => {
  for (const script of ['restore.sh', 'validate.sh', 'activate.sh'] as const)
    it(`${script} refuses a malformed invocation before any call, and takes every well-formed one`, () => {
      const sandbox = new RunnerSandbox();
      rmSync(sandbox.path('readyz')); // validate.sh: the API never answers, so a valid case ends fast
      for (const bad of CASES.invalid) {
        const { code, report } = sandbox.run(script, { ...ENV[script], STANDBY_KUBECTL: bad });
        expect([bad, code, REFUSED.test(complaints(report))]).toEqual([bad, 1, true]);
        if (script === 'restore.sh') expect(report?.step).toBe('start');
      }
      // Refused at the start: not one kubectl (or aws) call was made.
      expect(existsSync(sandbox.path('calls.log'))).toBe(false);
      expect(existsSync(sandbox.path('aws.log'))).toBe(false);
      for (const good of CASES.valid) {
        const { report } = sandbox.run(script, { ...ENV[script], STANDBY_KUBECTL: good });
        expect([good, report !== undefined, REFUSED.test(complaints(report))]).toEqual([good, true, false]);
      }
    });

  it('runs the invocation it is given: on eks, activate.sh works through kubectl and its kubeconfig, and `k3s kubectl` (no server of its own there) reaches nothing', () => {
    const eks = new RunnerSandbox({ cluster: 'restored', target: 'eks' });
    const env = { STANDBY_NAMESPACE: 'jobintel', STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly' };
    const onK3s = eks.run('activate.sh', { ...env, STANDBY_KUBECTL: 'k3s kubectl' });
    expect(onK3s.code).toBe(1);
    expect(onK3s.report?.failures).toContain('CronJob jobintel-daily not found in namespace jobintel');
    expect(existsSync(eks.path('calls.log'))).toBe(false); // no call reached the cluster
    expect(eks.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(true);

    // The sandbox's eks environment: STANDBY_KUBECTL=kubectl --kubeconfig=/var/lib/standby/kubeconfig. Without
    // HOME (as under SSM) the named kubeconfig is what reaches the cluster.
    const { code, report } = eks.run('activate.sh', { ...env, HOME: '' });
    expect(code).toBe(0);
    expect(report?.cronjobs).toEqual([
      { name: 'jobintel-daily', was_suspended: true, suspended: false },
      { name: 'jobintel-hourly', was_suspended: true, suspended: false },
    ]);
    expect(eks.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(false);
  });

  it('kubectl without a kubeconfig (update-kubeconfig never ran) reaches no cluster, as the real client', () => {
    const eks = new RunnerSandbox({ cluster: 'restored', target: 'eks' });
    rmSync(eks.path('var-lib-standby', 'kubeconfig'));
    const { code, report } = eks.run('activate.sh', {
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_CRONJOBS: 'jobintel-daily',
    });
    expect(code).toBe(1);
    expect(existsSync(eks.path('calls.log'))).toBe(false);
    expect(report?.failures).toContain('CronJob jobintel-daily not found in namespace jobintel');
  });
});
