import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { checkObject, isRecord, type KubeObject, ManifestError } from './manifests.js';

/**
 * `standby backup --namespace`: the namespace's objects exported with kubectl and stripped of what the
 * server owns (status, uid, resourceVersion, managedFields, ...), so they apply cleanly to a new cluster.
 * Objects a controller made (ownerReferences: Jobs of a CronJob, ReplicaSets, Pods) are left out: their
 * owners recreate them. kubectl runs with an argument vector, never through a shell.
 */
export const EXPORTED_KINDS = [
  'serviceaccounts',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'services',
  'deployments',
  'statefulsets',
  'daemonsets',
  'cronjobs',
  'jobs',
  'roles',
  'rolebindings',
] as const;

export type KubectlRunner = (args: string[]) => Promise<string>;

export function kubectlRunner(kubectl = 'kubectl', context?: string): KubectlRunner {
  const run = promisify(execFile);
  return async (args) => {
    const full = context ? ['--context', context, ...args] : args;
    try {
      const { stdout } = await run(kubectl, full, { maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      throw new ManifestError(`${kubectl} ${full.join(' ')} failed: ${detail}`);
    }
  };
}

const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'ownerReferences',
];
const SERVER_ANNOTATION =
  /^(kubectl\.kubernetes\.io\/last-applied-configuration|deployment\.kubernetes\.io\/revision|pv\.kubernetes\.io\/.*|volume\.kubernetes\.io\/.*|volume\.beta\.kubernetes\.io\/.*|control-plane\.alpha\.kubernetes\.io\/leader)$/;

const record = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);

/** Removes server-owned fields; returns undefined for objects that must not be restored as they are. */
export function stripServerFields(input: KubeObject): KubeObject | undefined {
  const object = structuredClone(input) as KubeObject;
  const metadata = object.metadata;
  if (Array.isArray(metadata.ownerReferences) && metadata.ownerReferences.length > 0) return undefined;
  if (object.kind === 'ServiceAccount' && metadata.name === 'default') return undefined;
  if (object.kind === 'ConfigMap' && metadata.name === 'kube-root-ca.crt') return undefined;
  if (object.kind === 'Secret' && object.type === 'kubernetes.io/service-account-token') return undefined;
  for (const key of SERVER_METADATA) delete metadata[key];
  const annotations = record(metadata.annotations);
  if (annotations) {
    for (const key of Object.keys(annotations)) if (SERVER_ANNOTATION.test(key)) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  const labels = record(metadata.labels);
  if (object.kind === 'Namespace' && labels) {
    delete labels['kubernetes.io/metadata.name'];
    if (Object.keys(labels).length === 0) delete metadata.labels;
  }
  delete object.status;
  const spec = record(object.spec);
  if (object.kind === 'Service' && spec) {
    if (spec.clusterIP !== 'None') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    delete spec.healthCheckNodePort;
  }
  if (object.kind === 'PersistentVolumeClaim' && spec) delete spec.volumeName;
  if (object.kind === 'Namespace') delete object.spec;
  const template = record(record(spec?.jobTemplate)?.metadata) ?? record(record(spec?.template)?.metadata);
  if (template && template.creationTimestamp === null) delete template.creationTimestamp;
  return object;
}

/** The namespace and its objects, exported and stripped, sorted by kind then name. */
export async function exportNamespace(namespace: string, kubectl: KubectlRunner): Promise<KubeObject[]> {
  const parse = (text: string, what: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new ManifestError(`kubectl get ${what} did not print JSON`);
    }
  };
  const ns = checkObject(
    parse(await kubectl(['get', 'namespace', namespace, '-o', 'json']), 'namespace'),
    'namespace',
  );
  const list = record(
    parse(await kubectl(['get', EXPORTED_KINDS.join(','), '-n', namespace, '-o', 'json']), 'objects'),
  );
  const items = Array.isArray(list?.items) ? list.items : [];
  const objects = items.map((item, i) => checkObject(item, `exported object ${i + 1}`));
  const stripped = [ns, ...objects].map(stripServerFields).filter((o): o is KubeObject => o !== undefined);
  const key = (o: KubeObject) => `${o.kind === 'Namespace' ? '0' : '1'}/${o.kind}/${o.metadata.name}`;
  return stripped.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
