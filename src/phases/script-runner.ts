import type { z } from 'zod';
import { type ScriptRun, type ScriptRunner, ssmScriptRunner } from '../aws/ssm-runner.js';
import type { PhaseFailure } from '../receipts/failure-reasons.js';
import { parseRunnerReport, ReportError } from '../runner/report.js';
import type { PhaseContext } from './phase.js';

/**
 * The phase's way to its runner: the one the context hands in (a test's sandbox), else SSM Run Command
 * polling at the context's timing, with progress in the phase's log.
 */
export function scriptRunnerFor(ctx: PhaseContext): ScriptRunner {
  return (
    ctx.scriptRunner ??
    ssmScriptRunner(ctx.aws, {
      firstDelayMs: ctx.poll.commandFirstDelayMs,
      maxDelayMs: ctx.poll.commandMaxDelayMs,
      sleep: ctx.clock.sleep,
      now: ctx.clock.now,
      progress: (m) => ctx.io.info(m),
    })
  );
}

/**
 * Runs a runner script and reads its one JSON report against its schema: the report, or the typed
 * failure of a report that cannot be trusted (timed out, truncated, not JSON, incomplete: fail closed).
 */
export async function runRunnerScript<Report>(
  ctx: PhaseContext,
  run: ScriptRun,
  schema: z.ZodType<Report>,
): Promise<{ commandId: string } & ({ report: Report } | { failure: PhaseFailure })> {
  const outcome = await scriptRunnerFor(ctx)(run);
  try {
    return { commandId: outcome.commandId, report: parseRunnerReport(outcome, schema, run.script) };
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    return { commandId: outcome.commandId, failure: { message: error.message, reason: error.reason } };
  }
}
