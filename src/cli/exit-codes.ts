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

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
