import { z } from 'zod';

export const PROMOTION_STATUSES = [
  'approved_but_auto_promote_disabled',
  'manual_promotion_rejected',
  // A scheduled drill: no gate, no reviewer asked (drill.yml's schedule; decision.ts).
  'no_decision_scheduled_drill',
] as const;

export const PromoteOutputs = z.object({
  'promotion-status': z
    .enum(PROMOTION_STATUSES)
    .describe(
      'approved_but_auto_promote_disabled, manual_promotion_rejected, or no_decision_scheduled_drill (a scheduled drill has no gate)',
    ),
  'decided-by': z.string().describe('GitHub login of the reviewer who decided (empty: nobody was asked)'),
  comment: z.string().describe("The reviewer's comment"),
  'recorded-at': z.string().describe('When this decision was recorded (UTC, ISO-8601)'),
  ticket: z.string().describe('The ticket the decision belongs to'),
});
export type PromoteOutput = z.output<typeof PromoteOutputs>;
