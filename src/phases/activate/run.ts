import { type ActivateReport, ActivateReportSchema, activateProblems } from '../../runner/activate-report.js';
import { parseRunnerReport, ReportError } from '../../runner/report.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { scriptRunnerFor } from '../script-runner.js';
import { markdownTable } from '../summary.js';
import type { ActivateInputs } from './inputs.js';
import type { ActivateOutput } from './outputs.js';
import { planActivation, refused } from './plan.js';

export async function run(input: ActivateInputs, ctx: PhaseContext): Promise<PhaseResult<ActivateOutput>> {
  if (!ctx.receipts)
    return refused('activation reads the execution receipts: give receipt-bucket', 'invalid_input');
  const receipts = (await ctx.receipts.list()).flatMap((r) => (r.receipt ? [r.receipt] : []));
  const { plan, refusal } = planActivation(ctx.executionId, input, receipts);
  if (!plan) return refusal;
  ctx.io.info(
    `Activating ${plan.cronjobs.join(', ')} in ${plan.namespace} on ${plan.instanceId} (approved by ${plan.approvedBy})`,
  );
  const outcome = await scriptRunnerFor(ctx)({
    script: 'activate.sh',
    instanceId: plan.instanceId,
    env: { STANDBY_NAMESPACE: plan.namespace, STANDBY_CRONJOBS: plan.cronjobs.join(',') },
    timeoutSeconds: input.timeoutSeconds,
  });
  let report: ActivateReport;
  try {
    report = parseRunnerReport(outcome, ActivateReportSchema, 'activate.sh');
  } catch (error) {
    if (error instanceof ReportError) return refused(error.message, error.reason);
    throw error;
  }
  const problems = activateProblems(report, plan.cronjobs);
  const outputs = {
    activated: report.cronjobs.filter((c) => !c.suspended).map((c) => c.name),
    'approved-by': plan.approvedBy,
    report,
    'ssm-command-id': outcome.commandId,
  };
  const summary = markdownTable(
    ['CronJob', 'Before', 'After'],
    report.cronjobs.map((c) => [
      c.name,
      c.was_suspended ? 'suspended' : 'active',
      c.suspended ? 'suspended' : 'active',
    ]),
  );
  if (problems.length > 0)
    return {
      status: 'failed',
      outputs,
      summary,
      failure: { message: problems.join('; '), reason: 'activation_failed' },
    };
  return { status: 'ok', outputs, summary };
}
