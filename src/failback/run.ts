import { verifyAccount } from '../aws/account-guard.js';
import type { AwsClients } from '../aws/clients.js';
import { S3ReceiptStore } from '../receipts/store.js';
import { type Divergence, isDivergent } from './divergence.js';
import { type ApplyOutcome, applyAndVerify } from './execute.js';
import type { FailbackInputs } from './inputs.js';
import { type PointerChange, planFailback } from './plan.js';
import { type RecordedStep, StepReceipts } from './receipts.js';
import { describePointers, refusalMessage, surveyFailback } from './survey.js';

export type FailbackOutcome =
  | 'planned'
  | 'applied'
  | 'refused'
  | 'divergent'
  | 'apply-failed'
  | 'verify-failed';

export interface FailbackReport extends Partial<Omit<ApplyOutcome, 'outcome' | 'message'>> {
  outcome: FailbackOutcome;
  message: string;
  executionId: string;
  primaryRunId: string;
  drRunId: string;
  pointers: ReturnType<typeof describePointers>;
  runs: { primaryPrefix: string; drPrefix: string; primaryObjects: number; drObjects: number };
  divergence: Divergence;
  plan: Omit<PointerChange, 'body'>[];
  receipts: RecordedStep[];
}

export interface FailbackDeps {
  aws: AwsClients;
  now?: () => Date;
  progress?: (line: string) => void;
  /** Runs after the plan is receipted and before the first write (tests change a pointer here). */
  beforeApply?: (plan: PointerChange[]) => Promise<void>;
}

/** inputs → verify-before → plan → (apply → verify-after), one receipt per step; see docs/failback.md. */
export async function runFailback(inputs: FailbackInputs, deps: FailbackDeps): Promise<FailbackReport> {
  const now = deps.now ?? (() => new Date());
  const progress = deps.progress ?? (() => {});
  const { layout, primaryRunId, drRunId } = inputs;
  const accountId = await verifyAccount(deps.aws.sts, inputs.expectedAccountId);
  const store = inputs.receipts
    ? new S3ReceiptStore(deps.aws.s3, { ...inputs.receipts, executionId: inputs.executionId })
    : undefined;
  const recordedInputs = {
    publish_bucket: layout.bucket,
    publish_prefix: layout.prefix,
    providers: layout.pairs,
    run_prefix_template: layout.runPrefixTemplate,
    primary_run_id: primaryRunId,
    dr_run_id: drRunId,
    apply: inputs.apply,
    accept_divergence: inputs.acceptDivergence,
  };
  const steps = new StepReceipts(store, {
    executionId: inputs.executionId,
    region: deps.aws.region,
    accountId,
    inputs: recordedInputs,
  });
  const t0 = now();
  await steps.record({
    step: 'inputs',
    status: 'ok',
    startedAt: t0,
    endedAt: now(),
    outputs: recordedInputs,
  });

  progress(`reading ${layout.pairs.length + 1} pointers and listing both runs in s3://${layout.bucket}`);
  const t1 = now();
  const survey = await surveyFailback(deps.aws.s3, layout, inputs);
  const decision = planFailback(survey.pointers, {
    primaryRunId,
    drRunId,
    executionId: inputs.executionId,
    plannedAt: t1.toISOString(),
  });
  const problems = decision.kind === 'refused' ? [...decision.problems] : [];
  if (survey.primaryObjects === 0)
    problems.push(`the primary run '${primaryRunId}' has no published objects under ${survey.primaryPrefix}`);
  const divergent = isDivergent(survey.divergence);
  const base = {
    executionId: inputs.executionId,
    primaryRunId,
    drRunId,
    pointers: describePointers(survey.pointers),
    runs: {
      primaryPrefix: survey.primaryPrefix,
      drPrefix: survey.drPrefix,
      primaryObjects: survey.primaryObjects,
      drObjects: survey.drObjects,
    },
    divergence: survey.divergence,
    plan: decision.kind === 'ready' ? decision.changes.map(({ body: _body, ...change }) => change) : [],
    receipts: steps.recorded,
  };
  const refusal = problems.length > 0 ? refusalMessage(survey.pointers, drRunId, problems) : undefined;
  await steps.record({
    step: 'verify-before',
    status: refusal ? 'failed' : 'ok',
    startedAt: t1,
    endedAt: now(),
    outputs: { pointers: base.pointers, runs: base.runs, divergent, divergence: survey.divergence },
    error: refusal ? { message: refusal, reason: 'refused' } : undefined,
  });
  const t2 = now();
  await steps.record({
    step: 'plan',
    status: refusal ? 'skipped' : 'ok',
    startedAt: t2,
    endedAt: now(),
    outputs: { changes: base.plan, divergent, apply_requested: inputs.apply },
  });

  const blocked =
    refusal ??
    (divergent && !inputs.acceptDivergence
      ? `the primary and DR runs diverge (${describeDivergence(survey.divergence)}); review the keys, then re-run with --accept-divergence to switch anyway`
      : undefined);
  if (blocked || !inputs.apply || decision.kind !== 'ready') {
    const reason = blocked ? 'blocked' : 'dry-run';
    for (const step of ['apply', 'verify-after'] as const)
      await steps.record({
        step,
        status: 'skipped',
        startedAt: now(),
        endedAt: now(),
        outputs: { reason, detail: blocked ?? 'dry run: nothing written' },
      });
    const outcome: FailbackOutcome = refusal ? 'refused' : divergent ? 'divergent' : 'planned';
    return {
      ...base,
      outcome,
      message:
        blocked ??
        `dry run: ${base.plan.length} pointers would switch from '${drRunId}' to '${primaryRunId}'`,
    };
  }

  await deps.beforeApply?.(decision.changes);
  progress(`switching ${decision.changes.length} pointers, each conditional on the ETag in the plan`);
  const applied = await applyAndVerify(deps.aws.s3, layout.bucket, decision.changes, survey.pointers, {
    steps,
    now,
  });
  return { ...base, ...applied };
}

export function describeDivergence(divergence: Divergence): string {
  return `${divergence.onlyInPrimary.length} only in primary, ${divergence.onlyInDr.length} only in DR, ${divergence.different.length} different`;
}
