import { GitHubClient } from '../../github/client.js';
import { listRunApprovals } from '../../github/deployments.js';
import { type Clock, systemClock } from '../../util/clock.js';
import type { PhaseDefinition, PhaseResult } from '../phase.js';
import { escapeMarkdown, markdownTable } from '../summary.js';
import { decidePromotion } from './decision.js';
import { type PromoteInputs, parsePromoteInputs, promoteInputs } from './inputs.js';

/** Built by a factory so tests hand in a clock: a rate-limit wait then takes no real time. */
export function createPromote(clock: Clock = systemClock): PhaseDefinition<PromoteInputs> {
  return {
    name: 'promote',
    title: 'Promotion decision',
    description:
      'Records who approved or rejected promotion at the gate, and their comment. Changes no infrastructure.',
    branding: { icon: 'check-square', color: 'green' },
    inputs: promoteInputs,
    outputs: {
      'promotion-status': { description: 'approved_but_auto_promote_disabled or manual_promotion_rejected' },
      'decided-by': { description: 'GitHub login of the reviewer who decided' },
      comment: { description: "The reviewer's comment" },
      'recorded-at': { description: 'When this decision was recorded (UTC, ISO-8601)' },
      ticket: { description: 'The ticket the decision belongs to' },
    },
    parseInputs: parsePromoteInputs,

    async run(inputs, ctx): Promise<PhaseResult> {
      ctx.io.mask(inputs.token);
      const client = new GitHubClient({
        token: inputs.token,
        baseUrl: inputs.apiUrl,
        onRetry: (m) => ctx.io.info(m),
        sleep: clock.sleep,
        now: clock.now,
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
    },
  };
}

export const promote = createPromote();
