import { ActivateReportSchema, activateProblems } from '../../runner/activate-report.js';
import { markdownTable } from '../../util/markdown.js';
import { InputError } from '../../validation/errors.js';
import { checkedResult, type PhaseContext, type PhaseResult } from '../phase.js';
import { runRunnerScript } from '../script-runner.js';
import type { ActivateInputs } from './inputs.js';
import type { ActivateOutput } from './outputs.js';
import { planActivation, refused } from './plan.js';

export async function run(input: ActivateInputs, ctx: PhaseContext): Promise<PhaseResult<ActivateOutput>> {
  if (!ctx.receipts)
    throw new InputError('receipt-bucket', 'is required: activation reads the execution’s receipts');
  const receipts = (await ctx.receipts.list()).flatMap((r) => (r.receipt ? [r.receipt] : []));
  const { plan, refusal } = planActivation(ctx.executionId, input, receipts);
  if (!plan) return refusal;
  ctx.io.info(
    `Activating ${plan.cronjobs.join(', ')} in ${plan.namespace} on ${plan.instanceId} (approved by ${plan.approvedBy})`,
  );
  const ran = await runRunnerScript(
    ctx,
    {
      script: 'activate.sh',
      instanceId: plan.instanceId,
      env: { STANDBY_NAMESPACE: plan.namespace, STANDBY_CRONJOBS: plan.cronjobs.join(',') },
      timeoutSeconds: input.timeoutSeconds,
    },
    ActivateReportSchema,
  );
  if ('failure' in ran) return refused(ran.failure.message, ran.failure.reason);
  const { report } = ran;
  const problems = activateProblems(report, plan.cronjobs);
  const outputs = {
    activated: report.cronjobs.filter((c) => !c.suspended).map((c) => c.name),
    'approved-by': plan.approvedBy,
    report,
    'ssm-command-id': ran.commandId,
  };
  const summary = markdownTable(
    ['CronJob', 'Before', 'After'],
    report.cronjobs.map((c) => [
      c.name,
      c.was_suspended ? 'suspended' : 'active',
      c.suspended ? 'suspended' : 'active',
    ]),
  );
  return checkedResult(outputs, summary, problems, 'activation_failed');
}
