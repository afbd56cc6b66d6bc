import { EC2Client } from '@aws-sdk/client-ec2';
import { markServing } from '../../aws/serving.js';
import type { RunClaim } from '../../evidence/run-record.js';
import { GitHubClient } from '../../github/client.js';
import { listRunApprovals } from '../../github/deployments.js';
import { GitHubApiError } from '../../github/errors.js';
import type { RepositoryRef } from '../../github/repository.js';
import { getWorkflowRun } from '../../github/runs.js';
import type { ActivateReport } from '../../runner/activate-report.js';
import { runnerTargetEnv } from '../../runner/target-env.js';
import { TAG } from '../../terraform/runner-contract.js';
import { describeError } from '../../util/errors.js';
import { markdownTable } from '../../util/markdown.js';
import { InputError } from '../../validation/errors.js';
import { checkedResult, type PhaseContext, type PhaseResult } from '../phase.js';
import { runRunnerScript } from '../script-runner.js';
import { type GitHubReview, judgeApprovalReceipts, judgeApprovalReview } from './approval-provenance.js';
import { type ActivateInputs, githubAccess } from './inputs.js';
import type { ActivateOutput } from './outputs.js';
import { planActivation, refused } from './plan.js';

export async function run(input: ActivateInputs, ctx: PhaseContext): Promise<PhaseResult<ActivateOutput>> {
  if (!ctx.receipts)
    throw new InputError('receipt-bucket', 'is required: activation reads the execution’s receipts');
  if (input.token) ctx.io.mask(input.token);
  const stored = await ctx.receipts.list();
  const proven = judgeApprovalReceipts(ctx.executionId, input.repository, stored);
  // The runner, namespace and CronJobs come only from the proven chain; without one, the plan is made
  // from every receipt only to say first what it would refuse anyway (no approval, a drill).
  const receipts =
    proven.verdict === 'allowed' ? proven.chain : stored.flatMap((r) => (r.receipt ? [r.receipt] : []));
  const { plan, refusal } = await planActivation(ctx.executionId, input, receipts);
  if (!plan) return refusal;
  const github = githubAccess(input);
  if (proven.verdict === 'refused') return refused(proven.reason, 'approval_unproven');
  const review = await readReview({ ...github, apiUrl: input.apiUrl }, ctx, proven.run);
  if ('missing' in review) return refused(review.missing, 'approval_unproven');
  const confirmed = judgeApprovalReview(proven.run, review, input.environment, proven.decidedBy);
  if (confirmed.verdict === 'refused') return refused(confirmed.reason, 'approval_unproven');
  ctx.io.info(
    `Activating ${plan.cronjobs.join(', ')} in ${plan.namespace} on ${plan.instanceId} (approved by ${confirmed.approvedBy.join(', ')} on run ${proven.run.runId}, confirmed with GitHub)`,
  );
  // The report's schema (zod) loads as the phase runs, not as it starts (issue 24.4).
  const { ActivateReportSchema, activateProblems } = await import('../../runner/activate-report.js');
  const ran = await runRunnerScript(
    ctx,
    {
      script: 'activate.sh',
      instanceId: plan.instanceId,
      // Activation is real DR only (planActivation refuses drills): the runner becomes the serving standby.
      env: {
        ...runnerTargetEnv(ctx.target.kind, ctx.executionId),
        STANDBY_NAMESPACE: plan.namespace,
        STANDBY_CRONJOBS: plan.cronjobs.join(','),
        STANDBY_SERVING: 'true',
        STANDBY_EXECUTION_ID: ctx.executionId,
      },
      timeoutSeconds: input.timeoutSeconds,
    },
    ActivateReportSchema,
  );
  if ('failure' in ran) return refused(ran.failure.message, ran.failure.reason);
  return finish(
    ctx,
    plan,
    { ...ran, problems: activateProblems(ran.report, plan.cronjobs) },
    confirmed.approvedBy,
  );
}

/** The report checked, and once every CronJob runs, the runner tagged as the serving standby. */
async function finish(
  ctx: PhaseContext,
  plan: { instanceId: string; cronjobs: string[] },
  ran: { report: ActivateReport; commandId: string; problems: string[] },
  approvedBy: string[],
): Promise<PhaseResult<ActivateOutput>> {
  const { report, problems } = ran;
  let serving = false;
  if (problems.length === 0) {
    try {
      await markServing(
        ctx.aws.client('ec2', (c) => new EC2Client(c)),
        plan.instanceId,
      );
      serving = true;
      ctx.io.info(
        `${plan.instanceId} is the serving standby: tagged ${TAG.serving}=true, ${TAG.expiresAt} removed`,
      );
    } catch (error) {
      problems.push(
        `the CronJobs run, but ${plan.instanceId} could not be tagged as serving (${describeError(error)}): its expiry still applies; tag it ${TAG.serving}=true and remove ${TAG.expiresAt} by hand`,
      );
    }
  }
  const outputs = {
    activated: report.cronjobs.filter((c) => !c.suspended).map((c) => c.name),
    'approved-by': approvedBy.join(', '),
    serving,
    report,
    'ssm-command-id': ran.commandId,
  };
  const summary = [
    markdownTable(
      ['CronJob', 'Before', 'After'],
      report.cronjobs.map((c) => [
        c.name,
        c.was_suspended ? 'suspended' : 'active',
        c.suspended ? 'suspended' : 'active',
      ]),
    ),
    '',
    serving
      ? `**Serving standby**: ${plan.instanceId} has no expiry, its dead-man switch is disarmed and the sweeper never touches it. Only the teardown workflow (two people) ends it.`
      : 'Not marked serving: see the problems above.',
  ].join('\n');
  return checkedResult(outputs, summary, problems, 'activation_failed');
}

/** GitHub's record of the pipeline run and its review log; a run GitHub does not know is no approval. */
async function readReview(
  input: { token: string; apiUrl: string; repository: RepositoryRef },
  ctx: PhaseContext,
  run: RunClaim,
): Promise<GitHubReview | { missing: string }> {
  const client = new GitHubClient({
    token: input.token,
    baseUrl: input.apiUrl,
    onRetry: (m) => ctx.io.info(m),
    sleep: ctx.clock.sleep,
    now: ctx.clock.now,
  });
  const runId = Number(run.runId);
  try {
    const [record, approvals] = await Promise.all([
      getWorkflowRun(client, input.repository, runId),
      listRunApprovals(client, input.repository, runId),
    ]);
    return { run: record, approvals };
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404)
      return {
        missing: `GitHub knows no run ${run.runId} in ${run.repository}: the promote receipt names a run that does not exist`,
      };
    throw new Error(`cannot confirm the approval with GitHub: ${(error as Error).message}`);
  }
}
