import { Command } from 'commander';
import { cliFlag, InputError } from '../../validation/errors.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';

/**
 * A subcommand of a command group (`standby evidence check`). runCli configures only top-level
 * commands, so nested ones get the same settings here: errors thrown (never process.exit), output
 * through the Terminal, and an Examples block in --help.
 */
export function nestedCommand(name: string, term: Terminal, examples: string[]): Command {
  return new Command(name)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => term.out(s.trimEnd()), writeErr: (s) => term.err(s.trimEnd()) })
    .addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

export function commandGroup(name: string, description: string, term: Terminal): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .configureOutput({ writeOut: (s) => term.out(s.trimEnd()), writeErr: (s) => term.err(s.trimEnd()) });
}

/** Runs a validator that throws InputError; turns it into a usage error (exit 2) naming the flag. */
export function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InputError) throw new CliError(error.named(cliFlag), EXIT.usage);
    throw error;
  }
}

/** Collects a repeatable flag (`--alarm-name a --alarm-name b`). */
export function repeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
