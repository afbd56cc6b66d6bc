import { z } from 'zod';

export const PROMOTION_STATUSES = [
  'approved_but_auto_promote_disabled',
  'manual_promotion_rejected',
] as const;

export const PromoteOutputs = z.object({
  'promotion-status': z
    .enum(PROMOTION_STATUSES)
    .describe('approved_but_auto_promote_disabled or manual_promotion_rejected'),
  'decided-by': z.string().describe('GitHub login of the reviewer who decided'),
  comment: z.string().describe("The reviewer's comment"),
  'recorded-at': z.string().describe('When this decision was recorded (UTC, ISO-8601)'),
  ticket: z.string().describe('The ticket the decision belongs to'),
});
export type PromoteOutput = z.output<typeof PromoteOutputs>;
