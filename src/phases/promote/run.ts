import { GitHubClient } from '../../github/client.js';
import { listRunApprovals } from '../../github/deployments.js';
import { escapeMarkdown, markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { decidePromotion, type PromotionDecision, scheduledDrillDecision } from './decision.js';
import type { PromoteInputs } from './inputs.js';
import type { PromoteOutput } from './outputs.js';

export async function run(inputs: PromoteInputs, ctx: PhaseContext): Promise<PhaseResult<PromoteOutput>> {
  ctx.io.mask(inputs.token);
  const recordedAt = ctx.now().toISOString();
  const decided = inputs.scheduledDrill
    ? scheduledDrillDecision(ctx.executionId)
    : await reviewDecision(inputs, ctx);
  if ('refused' in decided)
    return {
      status: 'failed',
      outputs: { 'recorded-at': recordedAt, ticket: inputs.ticket },
      summary: '',
      failure: decided.refused,
    };
  return recordDecision(decided, inputs.ticket, recordedAt, ctx);
}

type Refusal = { refused: NonNullable<PhaseResult<PromoteOutput>['failure']> };

/** The gate's reviewer, from GitHub's approvals log of the run (no review yet: no_decision). */
async function reviewDecision(
  inputs: PromoteInputs,
  ctx: PhaseContext,
): Promise<PromotionDecision | Refusal> {
  const client = new GitHubClient({
    token: inputs.token,
    baseUrl: inputs.apiUrl,
    onRetry: (m) => ctx.io.info(m),
    sleep: ctx.clock.sleep,
    now: ctx.clock.now,
  });
  const approvals = await listRunApprovals(client, inputs.repository, inputs.runId);
  const decision = decidePromotion(approvals, inputs.environment);
  if (decision) return decision;
  const where = `run ${inputs.runId} of ${inputs.repository.owner}/${inputs.repository.repo}`;
  const message = `no review of environment '${inputs.environment}' on ${where}: the gate has not been decided (or the environment has no required reviewers)`;
  return { refused: { message, reason: 'no_decision' } };
}

const NOTE: Record<PromotionDecision['state'], string> = {
  approved: 'Approved. Automatic promotion is disabled: follow the runbook to switch traffic by hand.',
  rejected: 'Rejected. The standby stays as it is; the rejection is recorded and notified.',
  none: 'No decision: a scheduled drill has no gate and asks no reviewer. The standby is torn down on its own.',
};

function recordDecision(
  decision: PromotionDecision,
  ticket: string,
  recordedAt: string,
  ctx: PhaseContext,
): PhaseResult<PromoteOutput> {
  ctx.io.info(`${decision.state} by ${decision.decidedBy || 'nobody'}: promotion-status=${decision.status}`);
  const rows = [
    ['Decision', decision.state],
    ['Promotion status', decision.status],
    ['Decided by', decision.decidedBy || '—'],
    ['Comment', decision.comment || '—'],
    ['Ticket', ticket || '—'],
    ['Recorded at', recordedAt],
  ];
  return {
    status: 'ok',
    outputs: {
      'promotion-status': decision.status,
      'decided-by': decision.decidedBy,
      comment: decision.comment,
      'recorded-at': recordedAt,
      ticket,
    },
    summary: `${escapeMarkdown(NOTE[decision.state])}\n\n${markdownTable(['Field', 'Value'], rows)}`,
  };
}
