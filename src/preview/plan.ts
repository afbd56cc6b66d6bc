import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadRunnerFile } from '../runner/scripts.js';
import { type ManifestFile, PreviewError } from './manifest-archive.js';

/** One object as restore.sh applies it (restore-plan.jq's plan_preview). */
export interface PlannedObject {
  /** Kind/namespace/name, as the restore report's `applied` names it. */
  id: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** Container images, sorted. */
  images: string[];
  /** The setting the workload is held from (standby.dev/held), restored at activation; null if not held. */
  held: Record<string, unknown> | null;
}

/** restore-plan.jq's plan_preview: the restore's refusal, or everything it applies, in order. */
export type RestorePlan =
  | { error: string }
  | {
      claimants: string[];
      /** volume: the restored hostPath volume (k3s); null on eks, where storage_class gives a new volume. */
      state: {
        claim: string;
        volume: string | null;
        storage_class?: string;
        size: string;
        access_modes: string[];
      } | null;
      objects: PlannedObject[];
      /** eks only: the node selector and toleration every workload is given, and the workloads. */
      pinning?: {
        node_selector: Record<string, string>;
        toleration: Record<string, string>;
        workloads: string[];
      };
      /** eks only: objects left to the cluster (outside the runner's namespace-scoped access). */
      cluster_owned?: string[];
    };

export interface PlanTarget {
  namespace: string;
  claim: string;
  /** The state volume's directory on the runner (the restore phase's restore-path; k3s only). */
  restorePath: string;
  /** On an eks target: the storage class the claim's new volume comes from, and the execution it is pinned to. */
  eks?: { storageClass: string; execution: string };
}

/** restore-plan.jq's $target: where the state volume comes from (see restore_plan there). */
export const planTargetJson = (t: PlanTarget) =>
  t.eks
    ? { kind: 'eks', storage_class: t.eks.storageClass, execution: t.eks.execution }
    : { kind: 'k3s', volume: stateVolumeName(t), path: t.restorePath };

/** The PersistentVolume restore.sh creates for the state (the same name it computes). */
export const stateVolumeName = (t: PlanTarget) => `standby-state-${t.namespace}-${t.claim}`;

/**
 * The program, exactly as restore.sh runs it on the runner: the restore-plan.jq that is shipped beside
 * restore.sh (the same bytes, read through the same loader), run by the jq binary. Each manifest file's
 * documents go through its manifest_objects (YAML is read here with the yaml package, where the runner
 * uses `kubectl label --local`), then restore_plan over all of them.
 */
const PROGRAM = `include "restore-plan";
  [.[] | .file as $file | .documents[] | manifest_objects($file)]
  | restore_plan($ns; $claim; $target) | plan_preview($claim; $target)`;

export function computeRestorePlan(files: ManifestFile[], target: PlanTarget, jq = 'jq'): RestorePlan {
  const input = files.map(({ file, text }) => ({ file, documents: documentsOf(file, text) }));
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-plan-'));
  try {
    writeFileSync(path.join(dir, 'restore-plan.jq'), loadRunnerFile('restore-plan.jq').text);
    const run = spawnSync(
      jq,
      [
        '-c',
        '-L',
        dir,
        '--arg',
        'ns',
        target.namespace,
        '--arg',
        'claim',
        target.claim,
        '--argjson',
        'target',
        JSON.stringify(planTargetJson(target)),
        PROGRAM,
      ],
      { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (run.error)
      throw new PreviewError(
        `cannot run ${jq} (the restore plan is a jq program; install jq): ${run.error.message}`,
      );
    if (run.status !== 0) throw new PreviewError(`the restore plan failed: ${run.stderr.trim()}`);
    return JSON.parse(run.stdout) as RestorePlan;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function documentsOf(file: string, text: string): unknown[] {
  if (file.endsWith('.json')) {
    try {
      return [JSON.parse(text)];
    } catch (error) {
      throw new PreviewError(`${file} is not valid JSON (${(error as Error).message})`);
    }
  }
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new PreviewError(`${file} is not valid YAML: ${doc.errors[0]?.message}`);
    return doc.toJS();
  });
}
