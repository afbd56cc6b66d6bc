import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { bufferEntry, type TarEntry } from './tar-writer.js';
import { compareNames } from './tree.js';

/** A Kubernetes object as JSON (apiVersion, kind, metadata.name at least). */
export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A List (kind: List or *List with items) becomes its items; anything else stays one object. */
function expandLists(value: unknown): unknown[] {
  if (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  )
    return value.items.flatMap(expandLists);
  if (Array.isArray(value)) return value.flatMap(expandLists);
  return [value];
}

export function checkObject(value: unknown, where: string): KubeObject {
  if (!isRecord(value)) throw new ManifestError(`${where}: not an object`);
  const metadata = value.metadata;
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '')
    throw new ManifestError(`${where}: apiVersion is missing`);
  if (typeof value.kind !== 'string' || value.kind === '')
    throw new ManifestError(`${where}: kind is missing`);
  if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '')
    throw new ManifestError(`${where}: metadata.name is missing (generateName is not restorable)`);
  return value as KubeObject;
}

/** Every document of one .yaml/.yml/.json file, Lists expanded, empty documents skipped. */
export function parseManifestText(text: string, file: string): KubeObject[] {
  let documents: unknown[];
  if (/\.json$/i.test(file)) {
    try {
      documents = [JSON.parse(text)];
    } catch (error) {
      throw new ManifestError(`${file}: not JSON (${(error as Error).message})`);
    }
  } else {
    documents = parseAllDocuments(text).map((doc, index) => {
      if (doc.errors.length > 0)
        throw new ManifestError(`${file} document ${index + 1}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
      return doc.toJS();
    });
  }
  return documents
    .flatMap(expandLists)
    .filter((doc) => doc !== null && doc !== undefined)
    .map((doc, index) => checkObject(doc, `${file} object ${index + 1}`));
}

/** Reads a directory of manifests (recursively, sorted by path) into objects. */
export async function loadManifestDirectory(dir: string): Promise<KubeObject[]> {
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => compareNames(a.name, b.name))) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) files.push(child);
    }
  };
  await walk('');
  if (files.length === 0) throw new ManifestError(`${dir} holds no .yaml, .yml or .json manifests`);
  const objects: KubeObject[] = [];
  for (const file of files)
    objects.push(...parseManifestText(await readFile(path.join(dir, file), 'utf8'), file));
  return objects;
}

/** JSON with keys sorted at every depth: the same object always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (isRecord(v))
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((key) => [key, sort(v[key])]),
      );
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

function fileName(object: KubeObject, index: number): string {
  const safe = (text: string) => text.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  const ns = object.metadata.namespace ? `${safe(object.metadata.namespace)}.` : '';
  return `${String(index + 1).padStart(4, '0')}-${safe(object.kind)}-${ns}${safe(object.metadata.name)}.json`;
}

/**
 * The manifests archive: one canonical JSON file per object, in the order given (restore orders by
 * kind itself). JSON because the runner reads it with jq and needs no YAML parser.
 */
export function manifestEntries(objects: KubeObject[]): TarEntry[] {
  return objects.map((object, index) =>
    bufferEntry(fileName(object, index), Buffer.from(canonicalJson(object), 'utf8')),
  );
}

const DIGEST_REF = /@sha256:[0-9a-f]{64}$/;

/** Pod specs of the workload kinds, wherever the kind keeps them. */
export function podSpecs(object: KubeObject): Record<string, unknown>[] {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  if (!spec) return [];
  if (object.kind === 'Pod') return [spec];
  const templateSpec = (template: unknown) =>
    isRecord(template) && isRecord(template.spec) ? [template.spec] : [];
  if (object.kind === 'CronJob') {
    const jobTemplate = isRecord(spec.jobTemplate) ? spec.jobTemplate : undefined;
    const jobSpec = jobTemplate && isRecord(jobTemplate.spec) ? jobTemplate.spec : undefined;
    return jobSpec ? templateSpec(jobSpec.template) : [];
  }
  return templateSpec(spec.template);
}

/** Every container image the workloads name: digest-pinned ones and the rest (tags), each sorted. */
export function collectImages(objects: KubeObject[]): { digests: string[]; unpinned: string[] } {
  const images = new Set<string>();
  for (const object of objects)
    for (const spec of podSpecs(object))
      for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
        const list = spec[key];
        if (!Array.isArray(list)) continue;
        for (const container of list)
          if (isRecord(container) && typeof container.image === 'string') images.add(container.image);
      }
  const all = [...images].sort();
  return { digests: all.filter((i) => DIGEST_REF.test(i)), unpinned: all.filter((i) => !DIGEST_REF.test(i)) };
}

/**
 * The state contract, checked where the manifests are made: the claim exists in the application's
 * namespace and at least one workload mounts it. Returns what is wrong, or the workloads that mount it.
 */
export function checkStateClaim(
  objects: KubeObject[],
  claim: string,
): { problem?: string; claimants: string[] } {
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
  const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === claim);
  const claimants = objects
    .filter((o) =>
      podSpecs(o).some((spec) =>
        (Array.isArray(spec.volumes) ? spec.volumes : []).some(
          (v) =>
            isRecord(v) && isRecord(v.persistentVolumeClaim) && v.persistentVolumeClaim.claimName === claim,
        ),
      ),
    )
    .map((o) => `${o.kind}/${o.metadata.name}`);
  if (!pvc) return { problem: `the manifests have no PersistentVolumeClaim ${claim}`, claimants };
  if (pvc.metadata.namespace && namespaces.length > 0 && !namespaces.includes(pvc.metadata.namespace))
    return {
      problem: `claim ${claim} is in namespace ${pvc.metadata.namespace}, which the manifests do not create`,
      claimants,
    };
  if (claimants.length === 0)
    return { problem: `no workload in the manifests mounts the claim ${claim}`, claimants };
  return { claimants };
}
