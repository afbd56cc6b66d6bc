import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fittingNodes } from '../fixtures/runner/fake-scheduler.mjs';
import { EKS_EXECUTION, type KubeJson, RunnerSandbox } from '../helpers/runner-sandbox.js';

/** Calls the eks sandbox's plain `kubectl` directly, the way the scripts do. */
function kubectl(sandbox: RunnerSandbox, args: string[], stdin?: Buffer | string) {
  const result = spawnSync(path.resolve('test/fixtures/runner/bin/kubectl'), args, {
    env: {
      ...process.env,
      STUB_DIR: sandbox.dir,
      KUBECONFIG: sandbox.path('var-lib-standby', 'kubeconfig'),
      STANDBY_TEST_NODE: process.execPath,
    },
    input: stdin,
  });
  return { code: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString().trim() };
}

const PIN = {
  nodeSelector: { 'standby.dev/execution': EKS_EXECUTION },
  tolerations: [
    { key: 'standby.dev/execution', operator: 'Equal', value: EKS_EXECUTION, effect: 'NoSchedule' },
  ],
};
const claim = (storageClassName: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'state', namespace: 'jobintel' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: '1Gi' } } },
});
const pod = (name: string, spec: KubeJson = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'jobintel' },
  spec: {
    containers: [
      { name: 'loader', image: 'busybox', volumeMounts: [{ name: 'state', mountPath: '/state' }] },
    ],
    volumes: [{ name: 'state', persistentVolumeClaim: { claimName: 'state' } }],
    ...spec,
  },
});

function create(sandbox: RunnerSandbox, object: object) {
  return kubectl(sandbox, ['create', '-f', '-'], JSON.stringify(object));
}
const get = (sandbox: RunnerSandbox, kind: string, name: string) =>
  JSON.parse(kubectl(sandbox, ['get', kind, name, '-n', 'jobintel', '-o', 'json']).stdout) as KubeJson;

describe('the fake kubectl on an eks target is faithful where restore depends on it', () => {
  it('a gp3 (WaitForFirstConsumer) claim stays Pending until a scheduled pod mounts it, then binds to a new volume', () => {
    const eks = new RunnerSandbox({ target: 'eks' });
    expect(create(eks, claim('gp3')).code).toBe(0);
    expect(get(eks, 'pvc', 'state').status.phase).toBe('Pending');
    // A pod that fits no node (the execution's nodes are tainted, the other has not the label) is not scheduled:
    // it does not consume the claim, and nothing can exec into it.
    expect(create(eks, pod('unpinned', { nodeSelector: PIN.nodeSelector })).code).toBe(0);
    const pending = get(eks, 'pod', 'unpinned');
    expect(pending.status).toMatchObject({ phase: 'Pending', conditions: [{ reason: 'Unschedulable' }] });
    expect(get(eks, 'pvc', 'state').status.phase).toBe('Pending');
    const refused = kubectl(eks, ['exec', 'unpinned', '-n', 'jobintel', '--', 'ls', '-A', '/state']);
    expect(refused).toMatchObject({
      code: 1,
      stderr: 'Error from server (BadRequest): pod unpinned does not have a host assigned',
    });
    expect(
      kubectl(eks, ['wait', '--for=condition=Ready', 'pod/unpinned', '-n', 'jobintel', '--timeout=1s']).code,
    ).toBe(1);

    expect(create(eks, pod('loader', PIN)).code).toBe(0);
    expect(
      kubectl(eks, ['wait', '--for=condition=Ready', 'pod/loader', '-n', 'jobintel', '--timeout=1s']).code,
    ).toBe(0);
    expect(get(eks, 'pod', 'loader').spec.nodeName).toBe('ip-10-0-3-44.ec2.internal');
    const bound = get(eks, 'pvc', 'state');
    expect(bound.status.phase).toBe('Bound');
    const pv = eks.object('PersistentVolume', '', bound.spec.volumeName);
    expect(pv?.spec).toMatchObject({
      storageClassName: 'gp3',
      csi: { driver: 'ebs.csi.aws.com' },
      claimRef: { name: 'state' },
    });
    // A fresh ext4 file system: lost+found and nothing else.
    expect(kubectl(eks, ['exec', 'loader', '-n', 'jobintel', '--', 'ls', '-A', '/state']).stdout).toBe(
      'lost+found\n',
    );
  });

  it('exec -i streams stdin into tar on the mounted claim; without -i tar gets nothing; the files outlive the pod', () => {
    const eks = new RunnerSandbox({ target: 'eks' });
    create(eks, claim('gp3'));
    create(eks, pod('loader', PIN));
    eks.write('src/marker', 'm-1');
    const archive = spawnSync('tar', ['-c', '-C', eks.path('src'), 'marker']).stdout;
    const untar = [
      'exec',
      'loader',
      '-n',
      'jobintel',
      '-c',
      'loader',
      '--',
      'tar',
      '-x',
      '-o',
      '-C',
      '/state',
    ];
    expect(kubectl(eks, untar, archive).code).not.toBe(0); // no -i: kubectl forwards no stdin
    expect(kubectl(eks, ['exec', '-i', ...untar.slice(1)], archive).code).toBe(0);
    expect(kubectl(eks, ['exec', 'loader', '-n', 'jobintel', '--', 'cat', '/state/marker']).stdout).toBe(
      'm-1',
    );
    // Only what is modelled runs, only on mounted claims, only in containers the pod has.
    expect(kubectl(eks, ['exec', 'loader', '-n', 'jobintel', '--', 'sh', '-c', 'id']).code).toBe(2);
    expect(kubectl(eks, ['exec', 'loader', '-n', 'jobintel', '--', 'cat', '/etc/passwd']).code).toBe(2);
    expect(
      kubectl(eks, ['exec', 'loader', '-n', 'jobintel', '-c', 'other', '--', 'ls', '-A', '/state']).stderr,
    ).toBe('error: unable to upgrade connection: container not found ("other")');
    expect(kubectl(eks, ['delete', 'pod', 'loader', '-n', 'jobintel', '--wait=true']).code).toBe(0);
    expect(kubectl(eks, ['exec', 'loader', '-n', 'jobintel', '--', 'ls', '-A', '/state']).code).toBe(1);
    expect(get(eks, 'pvc', 'state').status.phase).toBe('Bound');
    create(eks, pod('reader', PIN));
    expect(kubectl(eks, ['exec', 'reader', '-n', 'jobintel', '--', 'cat', '/state/marker']).stdout).toBe(
      'm-1',
    );
  });

  it("refuses what the runner's namespace-scoped edit access does not reach, as the API server does", () => {
    const eks = new RunnerSandbox({ target: 'eks' });
    const forbidden = (args: string[], stdin?: string) => kubectl(eks, args, stdin).stderr;
    expect(forbidden(['get', 'nodes', '-o', 'json'])).toMatch(
      /^Error from server \(Forbidden\): nodes is forbidden: User ".*standby-runner.*" cannot list resource "nodes" in API group "" at the cluster scope$/,
    );
    expect(forbidden(['get', 'pods', '-n', 'kube-system', '-o', 'json'])).toMatch(
      /in the namespace "kube-system"$/,
    );
    expect(forbidden(['get', 'namespace', 'jobintel', '-o', 'json'])).toMatch(
      /cannot get resource "namespaces"/,
    );
    eks.write('ns.json', {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobintel' } }],
    });
    const apply = [
      'apply',
      '--server-side',
      '--field-manager=standby',
      '--force-conflicts',
      '-f',
      eks.path('ns.json'),
    ];
    expect(forbidden(apply)).toMatch(/cannot patch resource "namespaces"/);
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', namespace: 'jobintel' },
    };
    expect(forbidden(['create', '-f', '-'], JSON.stringify(role))).toMatch(
      /roles.rbac.authorization.k8s.io is forbidden/,
    );
    expect(kubectl(eks, ['auth', 'can-i', 'list', 'nodes'])).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(kubectl(eks, ['auth', 'can-i', 'create', 'pods', '-n', 'jobintel'])).toMatchObject({
      code: 0,
      stdout: 'yes\n',
    });
    // In its own namespace it works.
    expect(kubectl(eks, ['get', 'cronjobs', '-n', 'jobintel', '-o', 'json']).code).toBe(0);
  });

  it('a claim of a class the cluster lacks stays Pending, and so does a pod mounting it', () => {
    const eks = new RunnerSandbox({ target: 'eks' });
    create(eks, claim('gp3-missing'));
    create(eks, pod('loader', PIN));
    expect(get(eks, 'pvc', 'state').status.phase).toBe('Pending');
    expect(get(eks, 'pod', 'loader').status.phase).toBe('Pending');
  });

  it('schedules by selector and taint: the toleration alone lands elsewhere, the selector alone nowhere', () => {
    const eks = new RunnerSandbox({ target: 'eks' });
    const nodes = eks.json<{ items: KubeJson[] }>('nodes.json').items;
    expect(fittingNodes(PIN, nodes)).toEqual(['ip-10-0-3-44.ec2.internal']);
    expect(fittingNodes({ tolerations: PIN.tolerations }, nodes)).toEqual([
      'ip-10-0-2-10.ec2.internal',
      'ip-10-0-3-44.ec2.internal',
    ]);
    expect(fittingNodes({ nodeSelector: PIN.nodeSelector }, nodes)).toEqual([]);
    expect(fittingNodes({}, nodes)).toEqual(['ip-10-0-2-10.ec2.internal']);
    // A toleration for another execution's taint does not do.
    const other = [{ ...PIN.tolerations[0], value: 'drill-other' }];
    expect(fittingNodes({ nodeSelector: PIN.nodeSelector, tolerations: other }, nodes)).toEqual([]);
    expect(
      fittingNodes({ nodeSelector: PIN.nodeSelector, tolerations: [{ operator: 'Exists' }] }, nodes),
    ).toEqual(['ip-10-0-3-44.ec2.internal']);
  });
});
