import { describeDivergence, isDivergent } from './divergence.js';
import type { PlanDecision } from './plan.js';
import { pointerStateDigest, refusalMessage, type Survey } from './survey.js';

export interface Gate {
  /** Set when failback must not go on at all: the state is not what promotion left behind. */
  refusal?: string;
  /** Set when apply must not write: the refusal, or a divergence not explicitly accepted. */
  blocked?: string;
  divergent: boolean;
}

/** Decides, from what verify-before saw, whether the plan may be applied. Pure. */
export function gateFailback(
  survey: Survey,
  decision: PlanDecision,
  options: { primaryRunId: string; drRunId: string; acceptDivergence: boolean; expectStateDigest?: string },
): Gate {
  const problems = decision.kind === 'refused' ? [...decision.problems] : [];
  const digest = pointerStateDigest(survey.pointers);
  if (options.expectStateDigest && digest !== options.expectStateDigest)
    problems.push(
      `the pointers changed since the plan that was reviewed (state digest ${digest}, expected ${options.expectStateDigest}); plan again`,
    );
  if (survey.primaryObjects === 0)
    problems.push(
      `the primary run '${options.primaryRunId}' has no published objects under ${survey.primaryPrefix}`,
    );
  const divergent = isDivergent(survey.divergence);
  const refusal =
    problems.length > 0 ? refusalMessage(survey.pointers, options.drRunId, problems) : undefined;
  const diverged =
    divergent && !options.acceptDivergence
      ? `the primary and DR runs diverge (${describeDivergence(survey.divergence)}); review the keys, then re-run with --accept-divergence to switch anyway`
      : undefined;
  return { refusal, blocked: refusal ?? diverged, divergent };
}
