import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { EKS_EXECUTION, fakeK3sPort, RunnerSandbox } from '../helpers/runner-sandbox.js';

/**
 * The scripts' calls go to one daemon per Jest worker (fakeK3sPort, test/fixtures/runner/fake-k3s-daemon.mjs)
 * while the fake's own tests (fake-k3s, fake-eks) start it once a call. Both must be the same fake: the
 * same calls in two twin sandboxes, one each way, give the same exit codes, the same stdout and stderr byte
 * for byte (binary stdin and stdout included), and leave the same cluster behind.
 */
type Call = { bin: 'k3s' | 'kubectl'; args: string[]; stdin?: Buffer | string };

function call(sandbox: RunnerSandbox, port: string, { bin, args, stdin }: Call) {
  const result = spawnSync(path.resolve('test/fixtures/runner/bin', bin), args, {
    cwd: sandbox.dir,
    env: {
      ...process.env,
      STUB_DIR: sandbox.dir,
      KUBECONFIG: sandbox.path('var-lib-standby', 'kubeconfig'),
      STANDBY_TEST_NODE: process.execPath,
      FAKE_K3S_PORT: port,
    },
    input: stdin,
  });
  // The twins differ only in their directory.
  const text = (bytes: Buffer) => bytes.toString('latin1').replaceAll(sandbox.dir, '<sandbox>');
  return {
    args: args.join(' '),
    code: result.status,
    stdout: text(result.stdout),
    stderr: text(result.stderr),
  };
}

/** Runs the calls in a new sandbox of the target, one-shot ('') or through the daemon. */
function replay(target: 'k3s' | 'eks', port: string, calls: Call[]) {
  const sandbox = new RunnerSandbox({ target });
  sandbox.write('src/marker', 'm-1');
  // Bytes no text round trip keeps: NUL, 0xff, a lone CR.
  sandbox.write('src/blob.bin', Buffer.from([0, 255, 13, 0, 10, 128, 0]));
  sandbox.write('manifest.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: b}\n');
  sandbox.write('apply.json', {
    apiVersion: 'v1',
    kind: 'List',
    items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } }],
  });
  const results = calls.map((c) => call(sandbox, port, c));
  const cluster = readFileSync(sandbox.path('cluster.json'), 'utf8').replaceAll(sandbox.dir, '<sandbox>');
  return { results, cluster, log: sandbox.lines('calls.log') };
}

const PIN = {
  nodeSelector: { 'standby.dev/execution': EKS_EXECUTION },
  tolerations: [
    { key: 'standby.dev/execution', operator: 'Equal', value: EKS_EXECUTION, effect: 'NoSchedule' },
  ],
};
const claim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'state', namespace: 'jobintel' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'gp3',
    resources: { requests: { storage: '1Gi' } },
  },
};
const loader = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'loader', namespace: 'jobintel' },
  spec: {
    containers: [
      { name: 'loader', image: 'busybox', volumeMounts: [{ name: 'state', mountPath: '/state' }] },
    ],
    volumes: [{ name: 'state', persistentVolumeClaim: { claimName: 'state' } }],
    ...PIN,
  },
};
const exec = (...rest: string[]) => ['exec', 'loader', '-n', 'jobintel', '-c', 'loader', '--', ...rest];

describe('the fake API server daemon answers as the one-shot fake does', () => {
  it('eks: create -f -, exec -i with a binary tar stream, binary cat, refusals, errors, YAML, relative -f', () => {
    const scratch = new RunnerSandbox();
    scratch.write('src/marker', 'm-1');
    scratch.write('src/blob.bin', Buffer.from([0, 255, 13, 0, 10, 128, 0]));
    const tarball = spawnSync('tar', ['-c', '-C', scratch.path('src'), 'marker', 'blob.bin']).stdout;
    const k = (args: string[], stdin?: Buffer | string): Call => ({ bin: 'kubectl', args, stdin });
    const calls: Call[] = [
      k(['create', '-f', '-'], JSON.stringify(claim)),
      k(['create', '-f', '-'], JSON.stringify(loader)),
      k(['create', '-f', '-'], JSON.stringify(loader)),
      k(exec('tar', '-x', '-o', '-C', '/state'), tarball),
      k(['exec', '-i', ...exec('tar', '-x', '-o', '-C', '/state').slice(1)], tarball),
      k(exec('cat', '/state/blob.bin')),
      k(exec('ls', '-A', '/state')),
      k(['exec', '-i', ...exec('tar', '-x', '-o', '-C', '/state').slice(1)], Buffer.from('not a tar\0\xff')),
      k(exec('sh', '-c', 'id')),
      k(['auth', 'can-i', 'create', 'namespaces']),
      k(['auth', 'can-i', 'create', 'pods', '-n', 'jobintel']),
      k(['get', 'pvc', 'state', '-n', 'jobintel', '-o', 'json']),
      k(['create', '-f', '-'], '{"kind": not json'),
      k(['apply', '--server-side', '--field-manager=standby', '-n', 'jobintel', '-f', 'apply.json']),
      k(['label', '--local', '-f', 'manifest.yaml', '-o', 'json', 'standby-yaml-to-json-']),
      k(['delete', 'pod', 'loader', '-n', 'jobintel', '--wait=true']),
      k(exec('ls', '-A', '/state')),
      k(['get', 'pods', '-n', 'kube-system', '-o', 'json']),
      { bin: 'k3s', args: ['kubectl', 'get', 'nodes', '-o', 'json'] },
    ];
    const oneShot = replay('eks', '', calls);
    const daemon = replay('eks', fakeK3sPort(), calls);
    expect(daemon).toEqual(oneShot);
    // The replay covers what it claims: successes and each kind of failure, binary bytes out.
    const codes = oneShot.results.map((r) => r.code);
    expect(new Set(codes)).toEqual(new Set([0, 1, 2]));
    expect(oneShot.results[5]?.stdout).toBe(Buffer.from([0, 255, 13, 0, 10, 128, 0]).toString('latin1'));
    expect(oneShot.results[12]?.stderr).toMatch(/SyntaxError/);
  });

  it('k3s: readyz, listing, apply with the namespace checks, and calls it does not model', () => {
    const k = (...args: string[]): Call => ({ bin: 'k3s', args: ['kubectl', ...args] });
    const calls: Call[] = [
      k('get', '--raw', '/readyz'),
      k('apply', '--server-side', '--field-manager=standby', '-n', 'jobintel', '-f', 'apply.json'),
      k('apply', '--server-side', '--field-manager=standby', '-f', 'apply.json'),
      k('apply', '-f', 'apply.json'),
      k('get', 'configmap', 'settings'),
      k('get', 'cronjobs', '-n', 'default', '-o', 'json'),
      k('rollout', 'restart', 'deployment/x'),
      { bin: 'k3s', args: ['version'] },
    ];
    const oneShot = replay('k3s', '', calls);
    expect(replay('k3s', fakeK3sPort(), calls)).toEqual(oneShot);
    expect(oneShot.results.map((r) => r.code)).toEqual([0, 1, 0, 2, 2, 0, 2, 2]);
  });
});
