import type { AwsClients } from '../aws/clients.js';
import { ReceiptWriter } from '../receipts/writer.js';
import { describeError } from '../util/errors.js';
import { applyAndVerify } from './execute.js';
import { gateFailback } from './gate.js';
import { type FailbackInputs, recordableInputs } from './inputs.js';
import { type PointerChange, planFailback } from './plan.js';
import { StepReceipts } from './receipts.js';
import type { FailbackOutcome, FailbackReport } from './report.js';
import { describePointers, describeRuns, pointerStateDigest, type Survey, surveyFailback } from './survey.js';

export interface FailbackDeps {
  aws: AwsClients;
  now?: () => Date;
  /** Where the receipts' source (run, commit, actor) is read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
  /** Runs after the plan is receipted and before the first write (tests change a pointer here). */
  beforeApply?: (plan: PointerChange[]) => Promise<void>;
}

/** inputs → verify-before → plan → (apply → verify-after), one receipt per step; see docs/failback.md. */
export async function runFailback(inputs: FailbackInputs, deps: FailbackDeps): Promise<FailbackReport> {
  const now = deps.now ?? (() => new Date());
  const progress = deps.progress ?? (() => {});
  const { layout, primaryRunId, drRunId, executionId } = inputs;
  // The account guard runs before anything is written, receipts included (ReceiptWriter.open).
  const writer = await ReceiptWriter.open(deps.aws, {
    location: inputs.receipts ? { ...inputs.receipts, executionId } : undefined,
    expectedAccount: inputs.expectedAccountId,
    env: deps.env,
  });
  const recorded = recordableInputs(inputs);
  const steps = new StepReceipts(writer, recorded);
  await steps.record({ step: 'inputs', status: 'ok', startedAt: now(), endedAt: now(), outputs: recorded });

  progress(`reading ${layout.pairs.length + 1} pointers and listing both runs in s3://${layout.bucket}`);
  const t1 = now();
  const survey = await surveyOrReceipt(inputs, deps.aws, steps, t1, now);
  const decision = planFailback(survey.pointers, {
    primaryRunId,
    drRunId,
    executionId,
    plannedAt: t1.toISOString(),
  });
  const gate = gateFailback(survey, decision, inputs);
  const base = {
    executionId,
    primaryRunId,
    drRunId,
    pointers: describePointers(survey.pointers),
    stateDigest: pointerStateDigest(survey.pointers),
    runs: describeRuns(survey),
    divergence: survey.divergence,
    plan: decision.kind === 'ready' ? decision.changes.map(({ body: _body, ...change }) => change) : [],
    receipts: steps.recorded,
  };
  await recordPlan(steps, base, gate, inputs.apply, t1, now);
  if (gate.blocked || !inputs.apply || decision.kind !== 'ready') {
    const detail = gate.blocked ?? 'dry run: nothing written';
    for (const step of ['apply', 'verify-after'] as const)
      await steps.skip(step, now(), { reason: gate.blocked ? 'blocked' : 'dry-run', detail });
    // An accepted divergence is still reported and receipted, but no longer needs attention.
    const outcome: FailbackOutcome = gate.refusal ? 'refused' : gate.blocked ? 'divergent' : 'planned';
    const message =
      gate.blocked ??
      `dry run: ${base.plan.length} pointers would switch from '${drRunId}' to '${primaryRunId}'`;
    return { ...base, outcome, message };
  }

  await deps.beforeApply?.(decision.changes);
  progress(`switching ${decision.changes.length} pointers, each conditional on the ETag in the plan`);
  const applied = await applyAndVerify(deps.aws.s3, layout.bucket, decision.changes, survey.pointers, {
    steps,
    now,
  });
  return { ...base, ...applied };
}

/** Reads the pointers and lists both runs; a read error is receipted as a failed verify-before. */
async function surveyOrReceipt(
  inputs: FailbackInputs,
  aws: AwsClients,
  steps: StepReceipts,
  startedAt: Date,
  now: () => Date,
): Promise<Survey> {
  try {
    return await surveyFailback(aws.s3, inputs.layout, inputs);
  } catch (error) {
    // An access or network error while reading: receipted as a failed step, then reported (exit 1).
    const message = `cannot read the pointers or list the runs: ${describeError(error)}`;
    await steps.record({
      step: 'verify-before',
      status: 'failed',
      startedAt,
      endedAt: now(),
      outputs: {},
      error: { message, reason: 'read_failed' },
    });
    throw new Error(`${message}; nothing was written`);
  }
}

/** The verify-before and plan receipts: what the pointers are, what would change, and the gate's verdict. */
async function recordPlan(
  steps: StepReceipts,
  base: Pick<FailbackReport, 'pointers' | 'stateDigest' | 'runs' | 'divergence' | 'plan'>,
  gate: ReturnType<typeof gateFailback>,
  applyRequested: boolean,
  t1: Date,
  now: () => Date,
): Promise<void> {
  await steps.record({
    step: 'verify-before',
    status: gate.refusal ? 'failed' : 'ok',
    startedAt: t1,
    endedAt: now(),
    outputs: {
      pointers: base.pointers,
      state_digest: base.stateDigest,
      runs: base.runs,
      divergent: gate.divergent,
      divergence: base.divergence,
    },
    error: gate.refusal ? { message: gate.refusal, reason: 'refused' } : undefined,
  });
  const t2 = now();
  await steps.record({
    step: 'plan',
    status: gate.refusal ? 'skipped' : 'ok',
    startedAt: t2,
    endedAt: now(),
    outputs: {
      changes: base.plan,
      divergent: gate.divergent,
      apply_requested: applyRequested,
      blocked: gate.blocked ?? null,
    },
  });
}
