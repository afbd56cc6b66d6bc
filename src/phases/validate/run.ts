import { runnerTargetEnv } from '../../runner/target-env.js';
import type { ValidateReport } from '../../runner/validate-report.js';
import { markdownTable } from '../../util/markdown.js';
import { checkedResult, type PhaseContext, type PhaseResult } from '../phase.js';
import { runRunnerScript } from '../script-runner.js';
import type { ValidateInputs } from './inputs.js';
import type { ValidateOutput } from './outputs.js';

/** Time on top of the runner-side waits for delivery and reporting. */
const SSM_MARGIN_SECONDS = 120;

export async function run(inputs: ValidateInputs, ctx: PhaseContext): Promise<PhaseResult<ValidateOutput>> {
  const env: Record<string, string> = {
    ...runnerTargetEnv(ctx.target.kind, ctx.executionId),
    STANDBY_NAMESPACE: inputs.namespace,
    STANDBY_CRONJOBS: inputs.cronjobs.join(','),
    STANDBY_READY_TIMEOUT_SECONDS: String(inputs.readyTimeoutSeconds),
    STANDBY_RUN_JOB: inputs.job ? 'true' : 'false',
    STANDBY_EXPECT_SUSPENDED: inputs.expectSuspended ? 'true' : 'false',
    ...(inputs.stateClaim ? { STANDBY_STATE_CLAIM: inputs.stateClaim } : {}),
    ...(inputs.stateMarker && inputs.job ? { STANDBY_STATE_MARKER: inputs.stateMarker } : {}),
    ...(inputs.job?.markerImage ? { STANDBY_MARKER_IMAGE: inputs.job.markerImage.ref } : {}),
    ...(inputs.job
      ? {
          STANDBY_JOB_CRONJOB: inputs.job.cronjob,
          STANDBY_IMAGE_REF: inputs.job.image.ref,
          STANDBY_JOB_TIMEOUT_SECONDS: String(inputs.job.timeoutSeconds),
        }
      : {}),
  };
  if (inputs.job && !inputs.job.image.digest)
    ctx.io.warning(`image-ref ${inputs.job.image.ref} is a tag (allow-image-tag=true): development only`);
  const timeoutSeconds = inputs.readyTimeoutSeconds + (inputs.job?.timeoutSeconds ?? 0) + SSM_MARGIN_SECONDS;
  // The report's schema (zod) loads as the phase runs, not as it starts (issue 24.4).
  const { ValidateReportSchema, validateProblems } = await import('../../runner/validate-report.js');
  const ran = await runRunnerScript(
    ctx,
    { script: 'validate.sh', instanceId: inputs.instanceId, env, timeoutSeconds },
    ValidateReportSchema,
  );
  if ('failure' in ran)
    return {
      status: 'failed',
      outputs: { result: 'failed', 'job-run-id': '', 'ssm-command-id': ran.commandId },
      summary: '',
      failure: ran.failure,
    };
  const { report } = ran;
  const problems = validateProblems(report, {
    namespace: inputs.namespace,
    cronjobs: inputs.cronjobs,
    runJob: Boolean(inputs.job),
    imageRef: inputs.job?.image.ref,
    stateClaim: inputs.stateClaim,
    stateMarker: inputs.job ? inputs.stateMarker : undefined,
    expectSuspended: inputs.expectSuspended,
    targetKind: ctx.target.kind,
  });
  const passed = problems.length === 0;
  const outputs = {
    result: passed ? ('passed' as const) : ('failed' as const),
    'job-run-id': report.job?.run_id ?? '',
    report,
    'ssm-command-id': ran.commandId,
  };
  const summary = renderValidation(report);
  return checkedResult(outputs, summary, problems, 'validation_failed');
}

function renderValidation(report: ValidateReport): string {
  const mark = (ok: boolean) => (ok ? '✅' : '❌');
  const notReadyPods = report.pods.filter((p) => !p.ready);
  const rows = [
    ['k3s API', mark(report.api_ready), report.api_ready ? 'ready' : 'not ready'],
    [
      'Nodes',
      mark(report.nodes.length > 0 && report.nodes.every((n) => n.ready)),
      report.nodes
        .map((n) => `${n.name} ${n.ready ? 'Ready' : `NotReady (${n.reason ?? '?'})`}`)
        .join(', ') || 'none',
    ],
    [
      'kube-system pods',
      mark(report.pods.length > 0 && notReadyPods.length === 0),
      notReadyPods.length
        ? notReadyPods.map((p) => `${p.name} (${p.reason ?? '?'})`).join(', ')
        : `${report.pods.length} Ready`,
    ],
    ['Namespace', mark(report.namespace.exists), report.namespace.name],
    [
      'CronJobs',
      mark(report.cronjobs.missing.length === 0),
      report.cronjobs.missing.length
        ? `missing: ${report.cronjobs.missing.join(', ')}`
        : report.cronjobs.found.join(', ') || 'none expected',
    ],
    [
      'CronJobs suspended (until activation)',
      mark(report.cronjobs.active.length === 0),
      report.cronjobs.active.length ? `active: ${report.cronjobs.active.join(', ')}` : 'all suspended',
    ],
  ];
  if (report.state)
    rows.push([
      'State claim',
      mark(report.state.bound),
      `${report.state.claim} ${report.state.bound ? `Bound to ${report.state.volume}` : 'not Bound'}`,
    ]);
  if (report.job) {
    const job = report.job;
    rows.push([
      'Validation Job',
      mark(job.status === 'succeeded'),
      `${job.name} from ${job.cronjob}: ${job.status} (run id ${job.run_id ?? 'none'}, ${job.failed} failed of backoffLimit ${job.backoff_limit}, cleaned up: ${job.cleaned_up})`,
    ]);
    if (job.state_marker)
      rows.push([
        'Job read the restored state',
        mark(job.state_marker.verified),
        `marker ${job.state_marker.read?.slice(0, 16) ?? 'nothing'}… (expected ${job.state_marker.expected.slice(0, 16)}…)`,
      ]);
  }
  const lines = [markdownTable(['Check', 'Status', 'Detail'], rows)];
  if (report.job?.log_tail)
    lines.push(
      '',
      '<details><summary>Job log tail</summary>',
      '',
      '```',
      report.job.log_tail.replace(/```/g, "'''"),
      '```',
      '</details>',
    );
  return lines.join('\n');
}
