import type { PendingDeployment } from '../github/types.js';

export type Decision = 'approved' | 'rejected';

export class ReviewRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewRefused';
  }
}

export interface ReviewPlan {
  environmentId: number;
  environment: string;
  state: Decision;
  comment: string;
}

/**
 * Decides what `standby approve|reject` would send, or why it must not: nothing waiting, another
 * environment waiting, or a token whose user is not a required reviewer. Pure, so every refusal is testable.
 */
export function planReview(
  pending: PendingDeployment[],
  request: { environment: string; state: Decision; ticket: string; note?: string; runId: number },
): ReviewPlan {
  if (pending.length === 0) {
    throw new ReviewRefused(
      `run ${request.runId} has no deployment waiting for review: it was already approved or rejected, ` +
        'or it has not reached the gate yet. Check with `standby status --run ' +
        `${request.runId}\`.`,
    );
  }
  const match = pending.find((deployment) => deployment.environment.name === request.environment);
  if (!match) {
    const waiting = pending.map((deployment) => deployment.environment.name).join(', ');
    throw new ReviewRefused(
      `run ${request.runId} is not waiting on environment '${request.environment}' (waiting on: ${waiting}); pass --environment`,
    );
  }
  if (!match.current_user_can_approve) {
    throw new ReviewRefused(
      `the token's user is not a required reviewer of '${request.environment}'. Use your own token ` +
        '(GH_TOKEN) as one of the reviewers configured on the environment.',
    );
  }
  const verb = request.state === 'approved' ? 'Approved' : 'Rejected';
  const note = request.note?.trim() ? `: ${request.note.trim()}` : '';
  return {
    environmentId: match.environment.id,
    environment: match.environment.name,
    state: request.state,
    comment: `${verb} via standby CLI, ticket ${request.ticket}${note}`,
  };
}
