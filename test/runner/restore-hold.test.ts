import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MANIFESTS, restore, seed } from '../helpers/runner-backup.js';
import { type KubeJson, RunnerSandbox } from '../helpers/runner-sandbox.js';

/**
 * Issue 20.4: a drill must not start restored Deployments, StatefulSets, ReplicaSets, Jobs or DaemonSets
 * with production Secrets. The fake k3s's hold tripwire refuses any applied workload that would start pods
 * (replicas > 0, a Job or CronJob not suspended, a DaemonSet whose selector matches a node, a Pod), so a
 * restore that stops holding fails here.
 */
const image = `ghcr.io/example/jobintel@sha256:${'a'.repeat(64)}`;
const podSpec = `
      containers: [{name: app, image: '${image}'}]`;
const WORKLOADS = {
  '20-deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: jobintel}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:${podSpec}
`,
  '21-statefulset.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: jobintel}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:${podSpec}
`,
  '22-replicaset.yaml': `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: worker, namespace: jobintel}
spec:
  replicas: 2
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:${podSpec}
`,
  '23-job.yaml': `apiVersion: batch/v1
kind: Job
metadata: {name: preflight, namespace: jobintel}
spec:
  template:
    spec:
      restartPolicy: Never${podSpec}
`,
  '24-daemonset.yaml': `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: jobintel}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}${podSpec}
`,
};

function heldSandbox(manifests: Record<string, string> = { ...MANIFESTS, ...WORKLOADS }) {
  const sandbox = new RunnerSandbox();
  sandbox.write('hold-tripwire', '');
  seed(sandbox, { manifests });
  return sandbox;
}

const annotation = (o: KubeJson | undefined) =>
  JSON.parse(o?.metadata?.annotations?.['standby.dev/held'] ?? 'null');

describe('restore.sh holds every workload until activation (issue 20.4)', () => {
  it('applies each held, keeps the original in standby.dev/held, and reports what is held', () => {
    const sandbox = heldSandbox();
    const { code, report, stderr } = restore(sandbox);
    expect(stderr).not.toMatch(/tripwire/);
    expect(code).toBe(0);
    const deployment = sandbox.object('Deployment', 'jobintel', 'web');
    expect(deployment?.spec.replicas).toBe(0);
    expect(annotation(deployment)).toEqual({ replicas: 3 });
    // replicas unset means 1 (the API server's default): that is what activation restores.
    expect(annotation(sandbox.object('StatefulSet', 'jobintel', 'db'))).toEqual({ replicas: 1 });
    expect(sandbox.object('ReplicaSet', 'jobintel', 'worker')?.spec.replicas).toBe(0);
    const job = sandbox.object('Job', 'jobintel', 'preflight');
    expect(job?.spec.suspend).toBe(true);
    expect(annotation(job)).toEqual({ suspend: false });
    const agent = sandbox.object('DaemonSet', 'jobintel', 'agent');
    expect(agent?.spec.template.spec.nodeSelector).toEqual({ 'standby.dev/held': 'until-activation' });
    expect(annotation(agent)).toEqual({ nodeSelector: { 'kubernetes.io/os': 'linux' } });
    expect(annotation(sandbox.object('CronJob', 'jobintel', 'jobintel-daily'))).toEqual({ suspend: false });
    expect(report?.held).toEqual([
      { kind: 'Deployment', name: 'web', original: { replicas: 3 }, holding: true },
      { kind: 'StatefulSet', name: 'db', original: { replicas: 1 }, holding: true },
      { kind: 'ReplicaSet', name: 'worker', original: { replicas: 2 }, holding: true },
      {
        kind: 'DaemonSet',
        name: 'agent',
        original: { nodeSelector: { 'kubernetes.io/os': 'linux' } },
        holding: true,
      },
      { kind: 'Job', name: 'preflight', original: { suspend: false }, holding: true },
      { kind: 'CronJob', name: 'jobintel-daily', original: { suspend: false }, holding: true },
      { kind: 'CronJob', name: 'jobintel-hourly', original: { suspend: false }, holding: true },
    ]);
  });

  it('a restore that stops holding trips the fake API server (the test can fail)', () => {
    const sandbox = heldSandbox();
    const plan = readFileSync(path.resolve('src/runner/restore-plan.jq'), 'utf8');
    const unheld = plan.replace('else . end) | hold end]', 'else . end) end]');
    expect(unheld).not.toBe(plan);
    const { code, report, stderr } = sandbox.run(
      'restore.sh',
      {
        STANDBY_BACKUP_URI: 's3://backups/batch/backups/bk-20261122',
        STANDBY_RESTORE_PATH: sandbox.path('var-lib-standby', 'volumes', 'jobintel-state'),
        STANDBY_NAMESPACE: 'jobintel',
        STANDBY_STATE_CLAIM: 'jobintel-state',
        STANDBY_WAIT_SECONDS: '1',
      },
      undefined,
      unheld,
    );
    expect(code).not.toBe(0);
    expect(report?.error).toMatch(/apply-manifests: server-side apply failed for .*Deployment\/web/);
    expect(stderr).toMatch(/hold tripwire: \w+\/jobintel\/\S+ would/);
  });

  it('refuses a bare Pod before applying anything: it would start the moment it is created', () => {
    const sandbox = heldSandbox({
      ...MANIFESTS,
      '30-pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: jobintel}\nspec:${podSpec}\n`,
    });
    const { code, report } = restore(sandbox);
    expect(code).not.toBe(0);
    expect(report?.error).toContain('30-pod.yaml: Pod/debug is a bare Pod');
    expect(sandbox.lines('calls.log').some((c) => c.startsWith('apply'))).toBe(false);
  });

  it('activation restores exactly what was held, removes the annotation, and reports each release', () => {
    const sandbox = heldSandbox();
    expect(restore(sandbox).code).toBe(0);
    const { code, report, stderr } = sandbox.run('activate.sh', {
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly',
    });
    expect(stderr).not.toMatch(/FAIL/);
    expect(code).toBe(0);
    expect(sandbox.object('Deployment', 'jobintel', 'web')?.spec.replicas).toBe(3);
    expect(sandbox.object('StatefulSet', 'jobintel', 'db')?.spec.replicas).toBe(1);
    expect(sandbox.object('ReplicaSet', 'jobintel', 'worker')?.spec.replicas).toBe(2);
    expect(sandbox.object('Job', 'jobintel', 'preflight')?.spec.suspend).toBe(false);
    expect(sandbox.object('DaemonSet', 'jobintel', 'agent')?.spec.template.spec.nodeSelector).toEqual({
      'kubernetes.io/os': 'linux',
    });
    expect(sandbox.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(false);
    for (const [kind, name] of [
      ['Deployment', 'web'],
      ['DaemonSet', 'agent'],
      ['CronJob', 'jobintel-daily'],
    ] as const)
      expect(
        sandbox.object(kind, 'jobintel', name)?.metadata.annotations?.['standby.dev/held'],
      ).toBeUndefined();
    expect(report?.released).toEqual([
      { kind: 'Deployment', name: 'web', restored: { replicas: 3 } },
      { kind: 'StatefulSet', name: 'db', restored: { replicas: 1 } },
      { kind: 'ReplicaSet', name: 'worker', restored: { replicas: 2 } },
      { kind: 'DaemonSet', name: 'agent', restored: { nodeSelector: { 'kubernetes.io/os': 'linux' } } },
      { kind: 'Job', name: 'preflight', restored: { suspend: false } },
    ]);
    const patches = sandbox.lines('calls.log').filter((c) => c.startsWith('patch'));
    expect(patches.every((c) => c.includes('--field-manager=standby-activate'))).toBe(true);
  });

  it('a DaemonSet that had no node selector gets none back (the held selector is removed, not kept)', () => {
    const manifests = {
      ...MANIFESTS,
      '24-daemonset.yaml': (WORKLOADS['24-daemonset.yaml'] as string).replace(
        '      nodeSelector: {kubernetes.io/os: linux}\n',
        '',
      ),
    };
    const sandbox = heldSandbox(manifests);
    expect(restore(sandbox).code).toBe(0);
    expect(
      sandbox.run('activate.sh', { STANDBY_NAMESPACE: 'jobintel', STANDBY_CRONJOBS: 'jobintel-daily' }).code,
    ).toBe(0);
    expect(sandbox.object('DaemonSet', 'jobintel', 'agent')?.spec.template.spec.nodeSelector).toBeUndefined();
  });
});
