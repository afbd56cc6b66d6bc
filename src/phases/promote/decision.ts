import { decisionFor } from '../../github/deployments.js';
import type { RunApproval } from '../../github/types.js';
import type { PROMOTION_STATUSES } from './outputs.js';

export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export interface PromotionDecision {
  status: PromotionStatus;
  decidedBy: string;
  comment: string;
  state: 'approved' | 'rejected' | 'none';
}

/** What a scheduled drill's promote receipt says in place of a reviewer's comment (docs/approval.md). */
export const SCHEDULED_DRILL_NO_DECISION = 'no decision: scheduled drill';

/**
 * What the gate's reviewer decided, from the run's approvals. Approval never promotes anything:
 * automatic promotion is disabled by design, so an approval is recorded as exactly that.
 */
export function decidePromotion(
  approvals: RunApproval[],
  environment: string,
): PromotionDecision | undefined {
  const review = decisionFor(approvals, environment);
  if (!review) return undefined;
  return {
    status: review.state === 'approved' ? 'approved_but_auto_promote_disabled' : 'manual_promotion_rejected',
    decidedBy: review.user?.login ?? 'unknown',
    comment: review.comment ?? '',
    state: review.state === 'approved' ? 'approved' : 'rejected',
  };
}

/**
 * A scheduled drill has no gate: nobody is asked, so nothing is decided, and the receipt says so. Only a
 * drill may skip its reviewer (`drill-<run id>`, drill.yml): a real DR run always waits for one, so any
 * other execution is refused (the reason why, or the decision).
 */
export function scheduledDrillDecision(
  executionId: string,
): PromotionDecision | { refused: { message: string; reason: 'invalid_input' } } {
  if (!/^drill-/.test(executionId))
    return {
      refused: {
        message: `scheduled-drill is for drills only (execution ids drill-<run id>), not ${executionId}: a real DR run always waits for a reviewer`,
        reason: 'invalid_input',
      },
    };
  return {
    status: 'no_decision_scheduled_drill',
    decidedBy: '',
    comment: SCHEDULED_DRILL_NO_DECISION,
    state: 'none',
  };
}
