import { z } from 'zod';

export const RestoreReportSchema = z.object({
  schema: z.literal('standby.restore-report/v1'),
  script_version: z.number().int(),
  ok: z.boolean(),
  step: z.string(),
  error: z.string().nullable(),
  files_restored: z.number().int().min(0),
  manifests_applied: z.number().int().min(0),
  control_plane_applied: z.boolean(),
  cronjobs: z.array(z.string()),
  verified: z.array(
    z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
});
export type RestoreReport = z.infer<typeof RestoreReportSchema>;

/** Problems that make a restore report a failure even if it says ok (fail closed). */
export function restoreProblems(report: RestoreReport, wantControlPlane: boolean): string[] {
  if (!report.ok) return [report.error ?? `restore failed at step ${report.step}`];
  const problems: string[] = [];
  const verified = new Set(report.verified.map((v) => v.name));
  for (const name of ['state.tar.zst', 'manifests.tar.zst'])
    if (!verified.has(name)) problems.push(`${name} was not verified on the runner`);
  if (report.manifests_applied === 0) problems.push('no manifests were applied');
  if (wantControlPlane && !report.control_plane_applied)
    problems.push('the control-plane bundle was not applied');
  return problems;
}
