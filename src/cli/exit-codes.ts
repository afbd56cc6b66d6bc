import type { Command } from 'commander';

/** Exit codes every subcommand uses (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The operation failed: an AWS or GitHub error, a phase that failed. */
  failed: 1,
  /** Bad flags or input values: nothing was changed. */
  usage: 2,
  /** The check ran and found a problem: DR needed, evidence does not verify. */
  attention: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

const results = new WeakMap<Command, number>();

/**
 * A command's action that returns its exit code. Commander drops an action's return value, so the code
 * is kept beside the program the command belongs to, and runCli returns it: no command sets
 * process.exitCode.
 */
export function returnsExitCode<Args extends unknown[]>(
  action: (...args: Args) => Promise<number>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    const code = await action(...args);
    // Commander passes the command itself as the action's last argument.
    let command = args.at(-1) as Command;
    while (command.parent) command = command.parent;
    results.set(command, code);
  };
}

/** The exit code the action that ran returned (0 when it returned none, or only help was shown). */
export function exitCodeOf(program: Command): number {
  return results.get(program) ?? EXIT.ok;
}
