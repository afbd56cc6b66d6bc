import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { awsErrorCode } from '../util/errors.js';

/** SSM keeps at most this many characters of a command's stdout in GetCommandInvocation. */
export const SSM_OUTPUT_LIMIT = 24_000;
const TERMINAL = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

export interface CommandRequest {
  instanceId: string;
  commands: string[];
  /** Wall-clock bound for the whole command; also the script's executionTimeout on the runner. */
  timeoutSeconds: number;
  comment: string;
}

export interface CommandOutcome {
  commandId: string;
  status: string;
  responseCode: number | null;
  stdout: string;
  stderr: string;
  /** True when stdout reached SSM's limit, so the tail may be missing. */
  stdoutTruncated: boolean;
}

export interface PollOptions {
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Extra time past timeoutSeconds for delivery and reporting before we give up. */
  graceMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  progress?: (message: string) => void;
}

export class CommandTimeoutError extends Error {
  override name = 'CommandTimeoutError';
}

/**
 * Runs commands on one instance through AWS-RunShellScript and waits for the end with backoff.
 * InvocationDoesNotExist right after SendCommand is normal (the invocation is not registered yet) and is
 * retried; past the wall-clock deadline the command is cancelled and a CommandTimeoutError thrown.
 */
export async function runShellCommand(
  ssm: SSMClient,
  request: CommandRequest,
  options: PollOptions = {},
): Promise<CommandOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + request.timeoutSeconds * 1000 + (options.graceMs ?? 60_000);
  const sent = await ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [request.instanceId],
      Comment: request.comment.slice(0, 100),
      Parameters: { commands: request.commands, executionTimeout: [String(request.timeoutSeconds)] },
    }),
  );
  const commandId = sent.Command?.CommandId;
  if (!commandId) throw new Error('SendCommand returned no CommandId');
  options.progress?.(`SSM command ${commandId} sent to ${request.instanceId}`);

  let delay = options.firstDelayMs ?? 1000;
  let lastStatus = 'Pending';
  while (now() < deadline) {
    await sleep(delay);
    delay = Math.min(delay * 2, options.maxDelayMs ?? 15_000);
    let invocation: GetCommandInvocationCommandOutput;
    try {
      invocation = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: request.instanceId }),
      );
    } catch (error) {
      if (awsErrorCode(error).name === 'InvocationDoesNotExist') continue;
      throw error;
    }
    const status = invocation.Status ?? 'Pending';
    if (status !== lastStatus) options.progress?.(`SSM command ${commandId}: ${status}`);
    lastStatus = status;
    if (TERMINAL.has(status)) return outcome(commandId, invocation);
  }
  await ssm
    .send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: [request.instanceId] }))
    .catch(() => undefined);
  throw new CommandTimeoutError(
    `SSM command ${commandId} on ${request.instanceId} did not finish within ${request.timeoutSeconds}s (last status ${lastStatus}); it was cancelled`,
  );
}

function outcome(commandId: string, invocation: GetCommandInvocationCommandOutput): CommandOutcome {
  const stdout = invocation.StandardOutputContent ?? '';
  return {
    commandId,
    status: invocation.Status ?? 'Unknown',
    responseCode: invocation.ResponseCode ?? null,
    stdout,
    stderr: invocation.StandardErrorContent ?? '',
    stdoutTruncated: stdout.length >= SSM_OUTPUT_LIMIT,
  };
}
