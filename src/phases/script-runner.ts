import { type ScriptRunner, ssmScriptRunner } from '../aws/ssm-runner.js';
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
