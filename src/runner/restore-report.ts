import { z } from 'zod';
import { TARGET_KINDS, type TargetKind } from '../targets/target.js';

export const RestoreReportSchema = z.object({
  schema: z.literal('standby.restore-report/v2'),
  script_version: z.number().int(),
  ok: z.boolean(),
  step: z.string(),
  /** What the restore ran on (STANDBY_TARGET_KIND); null when refused before it was read; absent before. */
  target_kind: z.enum(TARGET_KINDS).nullable().default('k3s'),
  error: z.string().nullable(),
  verified: z.array(
    z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
  files_restored: z.number().int().min(0),
  state: z
    .object({
      claim: z.string(),
      /** The PersistentVolume: k3s the restored hostPath one; eks the one provisioned (null until bound). */
      volume: z.string().nullable(),
      /** k3s: the restored directory on the runner; eks: null (the state is on the claim's volume). */
      path: z.string().nullable(),
      /** eks: the storage class the claim's volume came from. */
      storage_class: z.string().optional(),
      /** eks: the loader pod that streamed the state into the claim (null until it ran). */
      loader: z
        .object({
          pod: z.string(),
          image: z.string(),
          deleted: z.boolean(),
          marker_read_through_claim: z.boolean(),
        })
        .nullable()
        .optional(),
      owner: z.string(),
      claimants: z.array(z.string()),
      bound: z.boolean(),
      marker: z.string().nullable(),
      marker_verified: z.boolean(),
    })
    .nullable(),
  manifests_applied: z.number().int().min(0),
  applied: z.array(z.string()),
  applied_truncated: z.boolean(),
  control_plane_applied: z.boolean(),
  cronjobs: z.array(z.string()),
  cronjobs_suspended: z.array(z.string()),
  cronjobs_active: z.array(z.string()),
  /** Every workload in the namespace, held until activation, with what activation restores (issue 20.4). */
  held: z
    .array(
      z.object({
        kind: z.string(),
        name: z.string(),
        original: z.unknown(),
        holding: z.boolean(),
      }),
    )
    .default([]),
  /**
   * The images of every workload applied (Kind/namespace/name as in `applied`), so the next restore
   * preview can diff against this restore (issue 23.4). Absent from reports of older scripts.
   */
  workload_images: z.array(z.object({ object: z.string(), images: z.array(z.string()) })).default([]),
  workload_images_truncated: z.boolean().default(false),
  /** Bytes of each object restore.sh downloaded with `aws s3 cp`, in order (the drill's cost); absent before. */
  downloads: z.array(z.number().int().min(0)).default([]),
  /**
   * eks: the node selector and toleration every workload was given, and the workloads read back pinned
   * to the execution's node group; null on k3s (absent before).
   */
  pinning: z
    .object({
      node_selector: z.record(z.string(), z.string()),
      toleration: z.object({ key: z.string(), operator: z.string(), value: z.string(), effect: z.string() }),
      workloads: z.array(z.string()),
    })
    .nullable()
    .default(null),
  /**
   * eks: objects of the backup left to the cluster (cluster-scoped, Roles, RoleBindings: outside the
   * runner's namespace-scoped access), which must already be there; [] on k3s and before.
   */
  cluster_owned: z.array(z.string()).default([]),
});
export type RestoreReport = z.infer<typeof RestoreReportSchema>;

/** Problems that make a restore report a failure even if it says ok (fail closed). */
export function restoreProblems(
  report: RestoreReport,
  wantControlPlane: boolean,
  targetKind: TargetKind = 'k3s',
): string[] {
  if (!report.ok) return [report.error ?? `restore failed at step ${report.step}`];
  const problems: string[] = [];
  if (report.target_kind !== targetKind)
    problems.push(
      `the runner restored for target kind ${report.target_kind}, not this target's ${targetKind}`,
    );
  const verified = new Set(report.verified.map((v) => v.name));
  for (const name of ['state.tar.zst', 'manifests.tar.zst'])
    if (!verified.has(name)) problems.push(`${name} was not verified on the runner`);
  if (report.manifests_applied === 0) problems.push('no manifests were applied');
  if (!report.state) problems.push('the state volume was not reported');
  else {
    if (!report.state.bound) problems.push(`claim ${report.state.claim} is not bound to the restored volume`);
    if (report.state.claimants.length === 0) problems.push(`no workload mounts claim ${report.state.claim}`);
  }
  if (report.cronjobs_active.length > 0)
    problems.push(`CronJobs not suspended after the restore: ${report.cronjobs_active.join(', ')}`);
  const running = report.held.filter((h) => !h.holding).map((h) => `${h.kind}/${h.name}`);
  if (running.length > 0) problems.push(`workloads not held after the restore: ${running.join(', ')}`);
  if (report.target_kind === 'eks') {
    if (!report.pinning)
      problems.push('the workloads were not reported pinned to the execution’s node group');
    if (report.state && !report.state.loader?.deleted)
      problems.push('the state loader pod was not reported deleted');
  }
  if (wantControlPlane && !report.control_plane_applied)
    problems.push('the control-plane bundle was not applied');
  return problems;
}
