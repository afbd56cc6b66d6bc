import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { restore, seed, statePath, URI } from '../helpers/runner-backup.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';

const restoreEnv = (sandbox: RunnerSandbox) => ({
  STANDBY_BACKUP_URI: URI,
  STANDBY_RESTORE_PATH: statePath(sandbox),
  STANDBY_NAMESPACE: 'jobintel',
  STANDBY_STATE_CLAIM: 'jobintel-state',
  STANDBY_WAIT_SECONDS: '1',
});

/** Calls the fake k3s directly, the way the scripts do. */
function kubectl(sandbox: RunnerSandbox, args: string[], stdin?: string) {
  const result = spawnSync(path.resolve('test/fixtures/runner/bin/k3s'), ['kubectl', ...args], {
    env: { ...process.env, STUB_DIR: sandbox.dir, STANDBY_TEST_NODE: process.execPath },
    input: stdin,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

function applyJson(sandbox: RunnerSandbox, objects: object[], extra: string[] = []) {
  sandbox.write('apply.json', { apiVersion: 'v1', kind: 'List', items: objects });
  return kubectl(sandbox, [
    'apply',
    '--server-side',
    '--field-manager=standby',
    '--force-conflicts',
    ...extra,
    '-f',
    sandbox.path('apply.json'),
  ]);
}

const cronJob = (name: string, namespace?: string) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: {
    schedule: '0 3 * * *',
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x', image: 'i' }] } } } },
  },
});

describe('the fake k3s is faithful where the scripts depend on it', () => {
  it('honours -n: objects land in and are listed from the namespace asked for', () => {
    const sandbox = new RunnerSandbox();
    expect(
      applyJson(sandbox, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobintel' } }]).code,
    ).toBe(0);
    expect(applyJson(sandbox, [cronJob('a')], ['-n', 'jobintel']).code).toBe(0);
    const names = (ns: string) =>
      JSON.parse(kubectl(sandbox, ['get', 'cronjobs', '-n', ns, '-o', 'json']).stdout).items.map(
        (i: { metadata: { name: string } }) => i.metadata.name,
      );
    expect(names('jobintel')).toEqual(['a']);
    expect(names('default')).toEqual([]);
    expect(kubectl(sandbox, ['get', 'cronjob', 'a', '-n', 'default', '-o', 'json']).stderr).toBe(
      'Error from server (NotFound): cronjob.batch "a" not found',
    );
  });

  it('rejects what the API server rejects', () => {
    const sandbox = new RunnerSandbox();
    const cases: [object, string][] = [
      [cronJob('a', 'missing-ns'), 'Error from server (NotFound): namespaces "missing-ns" not found'],
      [
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
        'no matches for kind "Widget" in version "example.com/v1"',
      ],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, 'metadata.name: Required value'],
      [
        { ...cronJob('b'), spec: { schedule: '* * * * *' } },
        'spec.jobTemplate.spec.template.spec.containers: Required value',
      ],
      [
        { apiVersion: 'apps/v2', kind: 'Deployment', metadata: { name: 'd' } },
        'no matches for kind "Deployment" in version "apps/v2"',
      ],
      [
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: {} },
        'spec.resources[storage]: Required value',
      ],
    ];
    for (const [object, message] of cases) {
      const result = applyJson(sandbox, [object]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
    }
    const mismatch = applyJson(sandbox, [cronJob('a', 'kube-system')], ['-n', 'default']);
    expect(mismatch.stderr).toContain(
      'the namespace from the provided object "kube-system" does not match the namespace "default"',
    );
    expect(sandbox.cluster()['CronJob/default/a']).toBeUndefined();
  });

  it('knows only the calls the scripts make: a client-side apply is refused', () => {
    const sandbox = new RunnerSandbox();
    sandbox.write('x.json', cronJob('a'));
    const result = kubectl(sandbox, ['apply', '-f', sandbox.path('x.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/only with --server-side --field-manager=standby/);
  });

  it('returns what was applied, with a merge patch recorded under its own field manager', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const patch = kubectl(sandbox, [
      'patch',
      'cronjob',
      'jobintel-daily',
      '-n',
      'jobintel',
      '--type=merge',
      '-p',
      '{"spec":{"suspend":false}}',
      '--field-manager=standby-activate',
    ]);
    expect(patch.code).toBe(0);
    const got = JSON.parse(
      kubectl(sandbox, ['get', 'cronjob', 'jobintel-daily', '-n', 'jobintel', '-o', 'json']).stdout,
    );
    expect(got.spec.suspend).toBe(false);
    expect(got.metadata.managedFields.at(-1)).toEqual({ manager: 'standby-activate', operation: 'Update' });
  });
});

/**
 * Mutation checks: the tests must catch a script that talks to the wrong namespace. Each case edits one
 * `-n "$STANDBY_NAMESPACE"` in a copy of a script and runs it as the real tests do.
 */
describe('a script with its namespace changed fails (the fake does not ignore -n)', () => {
  const mutate = (script: string, from: string, to: string) => {
    const text = readFileSync(path.resolve('src/runner', script), 'utf8');
    expect(text).toContain(from);
    return text.replace(from, to);
  };

  it('validate.sh listing CronJobs in another namespace reports them missing', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const env = {
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_CRONJOBS: 'jobintel-daily',
      STANDBY_READY_TIMEOUT_SECONDS: '0',
      STANDBY_POLL_SECONDS: '0',
    };
    expect(sandbox.run('validate.sh', env).code).toBe(0);
    const mutated = mutate(
      'validate.sh',
      'kc get cronjobs -n "$STANDBY_NAMESPACE"',
      'kc get cronjobs -n default',
    );
    const { code, report } = sandbox.run('validate.sh', env, mutated);
    expect(code).toBe(1);
    expect(report?.failures).toEqual(['CronJob jobintel-daily missing in namespace jobintel']);
  });

  it('restore.sh applying with another namespace fails instead of scattering objects', () => {
    const good = new RunnerSandbox();
    seed(good);
    expect(restore(good).report?.ok).toBe(true);
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    const mutated = mutate(
      'restore.sh',
      'kc apply --server-side --field-manager=standby --force-conflicts -n "$STANDBY_NAMESPACE"',
      'kc apply --server-side --field-manager=standby --force-conflicts -n default',
    );
    const { code, report } = sandbox.run('restore.sh', restoreEnv(sandbox), mutated);
    expect(code).toBe(1);
    expect(report?.error).toMatch(/^apply-manifests: server-side apply failed/);
    expect(sandbox.cluster()['CronJob/jobintel/jobintel-daily']).toBeUndefined();
  });
});
