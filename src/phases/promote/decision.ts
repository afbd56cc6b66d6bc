import { decisionFor } from '../../github/deployments.js';
import type { RunApproval } from '../../github/types.js';
import type { PROMOTION_STATUSES } from './outputs.js';

export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export interface PromotionDecision {
  status: PromotionStatus;
  decidedBy: string;
  comment: string;
  state: 'approved' | 'rejected';
}

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
