import { Command, CommanderError } from 'commander';
import { describeError } from '../util/errors.js';
import { cliFlag, InputError } from '../validation/errors.js';
import { COMMANDS, type CommandEntry } from './command-list.js';
import { CliError, EXIT, exitCodeOf } from './exit-codes.js';
import { paint, processTerminal, type Terminal } from './terminal.js';
import { describeUnknownCommand, findUnknownCommand } from './unknown-command.js';

/**
 * The program with every top-level command: `load`ed ones in full, the others as entries that only show
 * in `standby --help` (name and summary), so a run loads the code of one command.
 */
export function buildProgram(term: Terminal, loaded: Map<string, Command> = new Map()): Command {
  const program = new Command('standby')
    .description('Cold-standby disaster recovery for batch systems that publish to S3.')
    .version('0.1.0')
    // Options belong to the command they follow (`standby backup prune --backup-uri` is prune's).
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const terms = new Map(COMMANDS.map((entry) => [entry.name, entry.term]));
  program.configureHelp({
    subcommandTerm: (cmd) => (!loaded.has(cmd.name()) && terms.get(cmd.name())) || defaultTerm(cmd),
  });
  for (const entry of COMMANDS) program.addCommand(loaded.get(entry.name) ?? listed(entry));
  const output = {
    writeOut: (s: string) => term.out(s.trimEnd()),
    writeErr: (s: string) => term.err(s.trimEnd()),
  };
  program.configureOutput(output);
  for (const command of program.commands) command.exitOverride().configureOutput(output);
  return program;
}

/** A command that is not loaded: listed by `standby --help`, never run. */
function listed(entry: CommandEntry): Command {
  return new Command(entry.name).description(entry.summary);
}

function defaultTerm(cmd: Command): string {
  const args = cmd.registeredArguments.map((arg) => (arg.required ? `<${arg.name()}>` : `[${arg.name()}]`));
  return [cmd.name(), ...(cmd.options.length ? ['[options]'] : []), ...args].join(' ');
}

/** Which top-level command argv names (`standby help <command>` too), so only that one is loaded. */
function commandNamed(argv: string[]): CommandEntry | undefined {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((entry) => entry.name === name);
}

/** The `standby` command line. Resolves to the process exit code (docs/cli.md lists them). */
export async function runCli(
  argv: string[] = process.argv.slice(2),
  term: Terminal = processTerminal(),
): Promise<number> {
  try {
    const entry = commandNamed(argv);
    const loaded = new Map<string, Command>();
    if (entry) loaded.set(entry.name, await entry.load(term));
    const program = buildProgram(term, loaded);
    // Before commander parses: it would answer `standby drills --help` with the root help and exit 0.
    const unknown = findUnknownCommand(program, argv);
    if (unknown) {
      term.err(paint(term, 'red', describeUnknownCommand(unknown)));
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCodeOf(program);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // A bad flag value found while a command runs is a usage error like a bad flag: exit 2, naming the flag.
    if (error instanceof InputError) {
      term.err(paint(term, 'red', `error: ${error.named(cliFlag)}`));
      return EXIT.usage;
    }
    const code = error instanceof CliError ? error.exitCode : EXIT.failed;
    term.err(paint(term, 'red', `error: ${describeError(error)}`));
    return code;
  }
}
