import { SSMClient } from '@aws-sdk/client-ssm';
import { loadRunnerScript, type RunnerScriptName } from '../runner/scripts.js';
import type { AwsClients } from './clients.js';
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

export function ssmScriptRunner(aws: AwsClients, poll: PollOptions = {}): ScriptRunner {
  const ssm = aws.client('ssm', (c) => new SSMClient(c));
  return (run) => {
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
