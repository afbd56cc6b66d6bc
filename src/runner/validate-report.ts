import { z } from 'zod';
import type { TargetKind } from '../targets/target.js';

const Readiness = z.object({ name: z.string(), ready: z.boolean(), reason: z.string().nullable() });

export const ValidateReportSchema = z.object({
  schema: z.literal('standby.validate-report/v2'),
  script_version: z.number().int(),
  result: z.enum(['passed', 'failed']),
  api_ready: z.boolean(),
  nodes: z.array(Readiness),
  pods: z.array(Readiness),
  namespace: z.object({ name: z.string(), exists: z.boolean() }),
  cronjobs: z.object({
    expected: z.array(z.string()),
    found: z.array(z.string()),
    missing: z.array(z.string()),
    active: z.array(z.string()),
  }),
  state: z.object({ claim: z.string(), bound: z.boolean(), volume: z.string().nullable() }).nullable(),
  job: z
    .object({
      name: z.string(),
      cronjob: z.string(),
      image: z.string(),
      run_id: z.string().nullable(),
      status: z.enum(['succeeded', 'failed', 'image_pull_error', 'timed_out']),
      succeeded: z.number().int(),
      failed: z.number().int(),
      backoff_limit: z.number().int(),
      timeout_seconds: z.number().int(),
      log_tail: z.string(),
      cleaned_up: z.boolean(),
      state_marker: z
        .object({ expected: z.string(), read: z.string().nullable(), verified: z.boolean() })
        .nullable(),
    })
    .nullable(),
  /**
   * Reads the runner's access does not reach (the eks access entry is the edit role in the application
   * namespace: no nodes, no kube-system pods, no Namespace object); absent before. Never passed silently:
   * validateProblems accepts them only on an eks target.
   */
  not_permitted: z.array(z.enum(['nodes', 'kube-system pods', 'namespace'])).default([]),
  failures: z.array(z.string()),
});
export type ValidateReport = z.infer<typeof ValidateReportSchema>;

export interface ValidateExpectations {
  namespace: string;
  cronjobs: string[];
  runJob: boolean;
  imageRef?: string;
  stateClaim?: string;
  stateMarker?: string;
  expectSuspended: boolean;
  /** What the runner restored onto: on eks the cluster-scoped reads are out of the runner's access. */
  targetKind?: TargetKind;
}

/**
 * Everything that must hold for validation to pass, checked here as well as on the runner: the report's
 * own verdict is not trusted alone (fail closed on anything missing or inconsistent).
 */
export function validateProblems(report: ValidateReport, expected: ValidateExpectations): string[] {
  const problems = [...report.failures];
  if (report.result !== 'passed' && problems.length === 0)
    problems.push('runner reported failed without a reason');
  if (!report.api_ready) problems.push('k3s API not ready');
  // Only on eks is a read out of the runner's access expected (on k3s it is the cluster admin).
  const eks = expected.targetKind === 'eks';
  if (report.not_permitted.length > 0 && !eks)
    problems.push(
      `the runner could not read ${report.not_permitted.join(', ')} (not permitted) on a k3s target`,
    );
  const unread = new Set(eks ? report.not_permitted : []);
  if (report.nodes.length === 0 && !unread.has('nodes')) problems.push('no nodes reported');
  if (report.nodes.some((n) => !n.ready) || report.pods.some((p) => !p.ready))
    problems.push('not every node and kube-system pod is Ready');
  if (report.pods.length === 0 && !unread.has('kube-system pods'))
    problems.push('no kube-system pods reported');
  if (report.namespace.name !== expected.namespace || !report.namespace.exists)
    problems.push(`namespace ${expected.namespace} not confirmed`);
  const missing = expected.cronjobs.filter((name) => !report.cronjobs.found.includes(name));
  if (missing.length > 0) problems.push(`CronJobs not found: ${missing.join(', ')}`);
  if (expected.expectSuspended && report.cronjobs.active.length > 0)
    problems.push(`CronJobs active before activation: ${report.cronjobs.active.join(', ')}`);
  if (expected.stateClaim && !(report.state?.claim === expected.stateClaim && report.state.bound))
    problems.push(`state claim ${expected.stateClaim} not confirmed Bound`);
  if (expected.runJob) {
    const job = report.job;
    if (!job) problems.push('the validation Job did not run');
    else {
      if (job.status !== 'succeeded') problems.push(`validation Job ${job.status}`);
      if (!job.run_id) problems.push('validation Job has no run id');
      if (expected.imageRef && job.image !== expected.imageRef)
        problems.push(`validation Job ran ${job.image}, not ${expected.imageRef}`);
      if (!job.cleaned_up) problems.push(`validation Job ${job.name} was not cleaned up`);
      if (
        expected.stateMarker &&
        !(job.state_marker?.verified && job.state_marker.read === expected.stateMarker)
      )
        problems.push('the validation Job did not read the restored state marker');
    }
  }
  return [...new Set(problems)];
}
