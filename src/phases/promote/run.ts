import { GitHubClient } from '../../github/client.js';
import { listRunApprovals } from '../../github/deployments.js';
import { escapeMarkdown, markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { decidePromotion } from './decision.js';
import type { PromoteInputs } from './inputs.js';
import type { PromoteOutput } from './outputs.js';

export async function run(inputs: PromoteInputs, ctx: PhaseContext): Promise<PhaseResult<PromoteOutput>> {
  ctx.io.mask(inputs.token);
  const client = new GitHubClient({
    token: inputs.token,
    baseUrl: inputs.apiUrl,
    onRetry: (m) => ctx.io.info(m),
    sleep: ctx.clock.sleep,
    now: ctx.clock.now,
  });
  const approvals = await listRunApprovals(client, inputs.repository, inputs.runId);
  const decision = decidePromotion(approvals, inputs.environment);
  const recordedAt = ctx.now().toISOString();
  const where = `run ${inputs.runId} of ${inputs.repository.owner}/${inputs.repository.repo}`;
  if (!decision) {
    const message = `no review of environment '${inputs.environment}' on ${where}: the gate has not been decided (or the environment has no required reviewers)`;
    return {
      status: 'failed',
      outputs: { 'recorded-at': recordedAt, ticket: inputs.ticket },
      summary: '',
      failure: { message, reason: 'no_decision' },
    };
  }
  ctx.io.info(`${decision.state} by ${decision.decidedBy}: promotion-status=${decision.status}`);
  const rows = [
    ['Decision', decision.state],
    ['Promotion status', decision.status],
    ['Decided by', decision.decidedBy],
    ['Comment', decision.comment || '—'],
    ['Ticket', inputs.ticket || '—'],
    ['Recorded at', recordedAt],
  ];
  const note =
    decision.state === 'approved'
      ? 'Approved. Automatic promotion is disabled: follow the runbook to switch traffic by hand.'
      : 'Rejected. The standby stays as it is; the rejection is recorded and notified.';
  return {
    status: 'ok',
    outputs: {
      'promotion-status': decision.status,
      'decided-by': decision.decidedBy,
      comment: decision.comment,
      'recorded-at': recordedAt,
      ticket: inputs.ticket,
    },
    summary: `${escapeMarkdown(note)}\n\n${markdownTable(['Field', 'Value'], rows)}`,
  };
}
