import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KUBECTL_INVOCATION } from '../../src/runner/target-env.js';

const FIXTURES = path.resolve('test/fixtures/runner');

export type RunnerScriptFile = 'restore.sh' | 'validate.sh' | 'activate.sh';
export type SandboxTarget = 'k3s' | 'eks';
/** The execution an eks sandbox's node group belongs to (labelled and tainted with it, as bringup makes it). */
export const EKS_EXECUTION = 'drill-20261204-0900';
/** A digest-pinned image for the eks state loader (the tag-only form is refused). */
export const LOADER_IMAGE = `public.ecr.aws/docker/library/busybox@sha256:${'b'.repeat(64)}`;
// biome-ignore lint/suspicious/noExplicitAny: Kubernetes JSON is edited freely in tests
export type KubeJson = Record<string, any>;

/**
 * The port of this Jest worker's fake API server daemon (test/fixtures/runner/fake-k3s-daemon.mjs), started on
 * first use: with FAKE_K3S_PORT set, bin/k3s and bin/kubectl hand each call to it instead of starting Node
 * for it. The same fakeK3s() answers either way (test/runner/fake-k3s.test.ts compares the two). The daemon
 * exits when this process does.
 */
export function fakeK3sPort(): string {
  const portFile = path.join(tmpdir(), `standby-fake-k3s-${process.pid}.port`);
  if (!alive(portFile)) {
    spawn(process.execPath, [path.join(FIXTURES, 'fake-k3s-daemon.mjs'), portFile, String(process.pid)], {
      detached: true,
      stdio: 'ignore',
    }).unref();
    const nap = new Int32Array(new SharedArrayBuffer(4));
    for (const deadline = Date.now() + 20_000; !existsSync(portFile); Atomics.wait(nap, 0, 0, 10))
      if (Date.now() > deadline) throw new Error('the fake k3s daemon did not start within 20 s');
  }
  return readFileSync(portFile, 'utf8').split(' ')[0] ?? '';
}

/** Whether the port file names a daemon that still runs (not one a reused process id left behind). */
function alive(portFile: string): boolean {
  if (!existsSync(portFile)) return false;
  try {
    process.kill(Number(readFileSync(portFile, 'utf8').split(' ')[1]), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A scratch directory for one runner-script run: stub `k3s` (a strict model of the API server, see
 * test/fixtures/runner/fake-k3s.mjs, served by this worker's daemon: fakeK3sPort) and `aws` on PATH. The cluster starts with the system namespaces;
 * `restored` also seeds what a restore leaves (namespace jobintel and its CronJobs). Fixture JSON
 * (nodes, kube-system pods, job status) stays in files a test may replace or edit.
 *
 * `target: 'eks'` is an existing EKS cluster instead: no k3s server on the runner (`k3s kubectl` without a
 * --kubeconfig reaches nothing, as the user data installs k3s as the kubectl client only), a plain
 * `kubectl` with the kubeconfig `aws eks update-kubeconfig` writes (at EKS_KUBECONFIG), a gp3 StorageClass of the EBS CSI driver
 * (WaitForFirstConsumer), and two nodes: another team's, and this execution's node group, labelled and
 * tainted `standby.dev/execution=<id>:NoSchedule`. The runner's access is the edit role in namespace jobintel
 * only (access.json; the fake refuses anything cluster-scoped), and that namespace exists already, as the
 * cluster owner's. The scripts run with the eks environment the phases send.
 */
export class RunnerSandbox {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'standby-runner-'));

  readonly target: SandboxTarget;
  /**
   * Whether run() adds the target's environment (targetEnv) under the caller's. A phase test turns it off,
   * so what reaches the script is exactly what the phase sent.
   */
  addsTargetEnv = true;

  constructor(options: { cluster?: 'fresh' | 'restored'; target?: SandboxTarget } = {}) {
    this.target = options.target ?? 'k3s';
    for (const file of ['nodes.json', 'kube-system-pods.json'])
      copyFileSync(path.join(FIXTURES, 'k8s', file), this.path(file));
    this.write('readyz', 'ok');
    if (this.target === 'eks') this.becomeEks();
    const namespace = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
      status: { phase: 'Active' },
    });
    const objects: KubeJson[] = ['default', 'kube-system', 'kube-public'].map(namespace);
    // On eks the application namespace is the cluster owner's, there before any restore (docs/terraform.md).
    if (this.target === 'eks' && options.cluster !== 'restored')
      objects.push(JSON.parse(readFileSync(path.join(FIXTURES, 'k8s', 'namespace-jobintel.json'), 'utf8')));
    if (this.target === 'eks')
      objects.push({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'gp3' },
        provisioner: 'ebs.csi.aws.com',
        volumeBindingMode: 'WaitForFirstConsumer',
        parameters: { type: 'gp3' },
      });
    if (options.cluster === 'restored') {
      objects.push(JSON.parse(readFileSync(path.join(FIXTURES, 'k8s', 'namespace-jobintel.json'), 'utf8')));
      const cronjobs = JSON.parse(readFileSync(path.join(FIXTURES, 'k8s', 'cronjobs.json'), 'utf8'))
        .items as KubeJson[];
      objects.push(...cronjobs.map((cj) => ({ ...cj, spec: { ...cj.spec, suspend: true } })));
    }
    this.seed(objects);
  }

  private becomeEks(): void {
    this.write('target-kind', 'eks');
    // The runner's access entry: AmazonEKSEditPolicy scoped to the application namespace (orchestrator eks.tf).
    this.write('access.json', { namespaces: ['jobintel'] });
    // Where bringup has `aws eks update-kubeconfig` write it (EKS_KUBECONFIG, under the sandbox's base dir).
    this.write(
      'var-lib-standby/kubeconfig',
      'apiVersion: v1\nkind: Config\n# written by aws eks update-kubeconfig\n',
    );
    this.edit<{ items: KubeJson[] }>('nodes.json', (nodes) => {
      const template = nodes.items[0] as KubeJson;
      const node = (name: string, labels: Record<string, string>, taints: KubeJson[]) => ({
        ...structuredClone(template),
        metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/arch': 'arm64', ...labels } },
        spec: { taints },
      });
      nodes.items = [
        node('ip-10-0-2-10.ec2.internal', { 'eks.amazonaws.com/nodegroup': 'platform' }, []),
        node(
          'ip-10-0-3-44.ec2.internal',
          {
            'eks.amazonaws.com/nodegroup': `standby-${EKS_EXECUTION}`,
            'standby.dev/execution': EKS_EXECUTION,
          },
          [{ key: 'standby.dev/execution', value: EKS_EXECUTION, effect: 'NoSchedule' }],
        ),
      ];
    });
  }

  /** The environment the phases send a script for this sandbox's target (a test's own env overrides it). */
  targetEnv(): Record<string, string> {
    if (this.target === 'k3s') return {};
    return {
      STANDBY_TARGET_KIND: 'eks',
      STANDBY_KUBECTL: KUBECTL_INVOCATION.eks,
      STANDBY_EXECUTION_ID: EKS_EXECUTION,
      STANDBY_LOADER_IMAGE: LOADER_IMAGE,
    };
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  write(file: string, content: string | Buffer | object): void {
    mkdirSync(path.dirname(this.path(file)), { recursive: true });
    const body = typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content);
    writeFileSync(this.path(file), body);
  }

  json<T = Record<string, unknown>>(file: string): T {
    return JSON.parse(readFileSync(this.path(file), 'utf8')) as T;
  }

  /** Changes one fixture file in place. */
  edit<T = Record<string, unknown>>(file: string, change: (value: T) => void): void {
    const value = this.json<T>(file);
    change(value);
    this.write(file, value as object);
  }

  lines(file: string): string[] {
    try {
      return readFileSync(this.path(file), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  /** Adds objects to the fake cluster as if they were there before the script ran. */
  seed(objects: KubeJson[]): void {
    const cluster = this.cluster();
    for (const object of objects) {
      const ns =
        object.kind === 'Namespace' || object.kind === 'PersistentVolume' || object.kind === 'StorageClass'
          ? ''
          : (object.metadata.namespace ?? 'default');
      cluster[`${object.kind}/${ns}/${object.metadata.name}`] = object;
    }
    this.write('cluster.json', { objects: cluster });
  }

  /** What the fake API server holds, by `Kind/namespace/name`. */
  cluster(): Record<string, KubeJson> {
    try {
      return this.json<{ objects: Record<string, KubeJson> }>('cluster.json').objects;
    } catch {
      return {};
    }
  }

  object(kind: string, namespace: string, name: string): KubeJson | undefined {
    return this.cluster()[`${kind}/${namespace}/${name}`];
  }

  /**
   * Runs a runner script (or a modified copy of one: `scriptText`, or of its plan: `planText`) with the
   * stubs on PATH. A modified copy runs from the sandbox with restore-plan.jq beside it, as on the runner.
   */
  run(script: RunnerScriptFile, env: Record<string, string>, scriptText?: string, planText?: string) {
    let file = path.resolve('src/runner', script);
    if (scriptText !== undefined || planText !== undefined) {
      const dir = this.path('delivered');
      mkdirSync(dir, { recursive: true });
      file = path.join(dir, script);
      writeFileSync(file, scriptText ?? readFileSync(path.resolve('src/runner', script)));
      writeFileSync(
        path.join(dir, 'restore-plan.jq'),
        planText ?? readFileSync(path.resolve('src/runner/restore-plan.jq')),
      );
    }
    const result = spawnSync('bash', [file], {
      env: {
        PATH: `${path.join(FIXTURES, 'bin')}:${process.env.PATH}`,
        STUB_DIR: this.dir,
        HOME: this.dir,
        STANDBY_TEST_NODE: process.execPath,
        FAKE_K3S_PORT: fakeK3sPort(),
        STANDBY_BASE_DIR: this.path('var-lib-standby'),
        ...(this.addsTargetEnv ? this.targetEnv() : {}),
        ...env,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const stdout = result.stdout.trim();
    let report: KubeJson | undefined;
    try {
      report = JSON.parse(stdout);
    } catch {
      report = undefined;
    }
    return { code: result.status, stdout, stderr: result.stderr, report };
  }
}

/** Runs a shell command for fixture building (tar, zstd) and fails loudly if it fails. */
export function sh(command: string, cwd: string): void {
  const result = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
}
