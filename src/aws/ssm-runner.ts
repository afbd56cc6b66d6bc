import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { loadRunnerScript, type RunnerScriptName } from '../runner/scripts.js';
import { describeError } from '../util/errors.js';
import type { AwsClients } from './clients.js';
import { extendRunnerExpiry } from './runner-expiry.js';
import { type CommandOutcome, type PollOptions, runShellCommand } from './ssm-command.js';
import { buildShellCommands } from './ssm-script.js';

export interface ScriptRun {
  script: RunnerScriptName;
  instanceId: string;
  /** STANDBY_* variables, already validated. */
  env: Record<string, string>;
  timeoutSeconds: number;
}

/**
 * How the restore and validate phases reach the runner. Production sends the script through SSM Run
 * Command; tests wrap this (the emulator's Run Command returns Success with empty output, so a test
 * supplies the report a real runner would have printed).
 */
export type ScriptRunner = (run: ScriptRun) => Promise<CommandOutcome>;

/** How long past a script's own deadline the runner is kept alive (the next phase needs it too). */
export const EXPIRY_MARGIN_MS = 60 * 60_000;

export function ssmScriptRunner(aws: AwsClients, poll: PollOptions = {}): ScriptRunner {
  const ssm = aws.client('ssm', (c) => new SSMClient(c));
  const ec2 = aws.client('ec2', (c) => new EC2Client(c));
  return async (run) => {
    await keepAlive(ec2, run, poll);
    const script = loadRunnerScript(run.script);
    return runShellCommand(
      ssm,
      {
        instanceId: run.instanceId,
        commands: buildShellCommands(script, run.env),
        timeoutSeconds: run.timeoutSeconds,
        comment: `standby ${run.script}`,
      },
      poll,
    );
  };
}

/**
 * Before work is sent to the runner, its dead-man switch is pushed past the work's deadline. A failure
 * here is reported, not fatal: the work itself matters more, and the expiry only bounds a leak.
 */
async function keepAlive(ec2: EC2Client, run: ScriptRun, poll: PollOptions): Promise<void> {
  const now = new Date((poll.now ?? Date.now)());
  try {
    const extended = await extendRunnerExpiry(
      ec2,
      run.instanceId,
      run.timeoutSeconds * 1000 + EXPIRY_MARGIN_MS,
      now,
    );
    poll.progress?.(
      extended.serving
        ? `runner ${run.instanceId} is the serving standby: it has no expiry, none is added`
        : extended.changed
          ? `runner ${run.instanceId} expiry extended to ${extended.expiresAt} (was ${extended.previous ?? 'unset'})`
          : `runner ${run.instanceId} expiry ${extended.expiresAt} already covers this step`,
    );
  } catch (error) {
    poll.progress?.(`warning: could not extend the expiry of ${run.instanceId}: ${describeError(error)}`);
  }
}
