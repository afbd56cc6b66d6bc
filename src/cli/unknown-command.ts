import type { Command, Option } from 'commander';
import { quoted } from '../validation/errors.js';

/**
 * A command line that names a command that does not exist (`standby statsu`, `standby backup prnue`,
 * `standby drills --help`, `standby help drills`): the command it was given to and the unknown word.
 *
 * Commander finds an unknown command itself, but only after it has looked for --help (so
 * `standby drills --help` printed the root help and exited 0), never under a command that has an action
 * of its own (`standby backup prnue` is "too many arguments"), and its message is two lines with no
 * fixed form. So the command line is resolved here first, against the same command tree and with
 * commander's rules for where a subcommand may stand (positional options: a command's options come before
 * its subcommand).
 */
export interface UnknownCommand {
  /** The command path the word was given to: `standby`, `standby backup`. */
  parent: string;
  word: string;
  /** The known command nearest to the word, when one is near enough to be a typo of it. */
  suggestion?: string;
}

export function findUnknownCommand(program: Command, argv: readonly string[]): UnknownCommand | undefined {
  let command = program;
  let path = [program.name()];
  let args = [...argv];
  for (;;) {
    if (command.commands.length === 0) return undefined;
    const at = firstOperand(command, args);
    if (at === undefined) return undefined;
    const word = args[at];
    const sub = subcommandNamed(command, word);
    if (sub) {
      command = sub;
      path = [...path, sub.name()];
      args = args.slice(at + 1);
      continue;
    }
    if (word === 'help') {
      // `standby help <command>`: the word after help must name a command too.
      const named = args.slice(at + 1).find((arg) => !arg.startsWith('-'));
      if (named === undefined || subcommandNamed(command, named)) return undefined;
      return unknown(command, path, named);
    }
    // A command that takes arguments of its own reads the word as one (none of ours with subcommands does).
    if (command.registeredArguments.length > 0) return undefined;
    return unknown(command, path, word);
  }
}

/** The one-line message: `standby: 'statsu' is not a command. Did you mean 'status'?` */
export function describeUnknownCommand({ parent, word, suggestion }: UnknownCommand): string {
  const hint = suggestion ? `Did you mean '${suggestion}'?` : `See '${parent} --help'.`;
  return `${parent}: ${quoted(word)} is not a command. ${hint}`;
}

function unknown(command: Command, path: string[], word: string): UnknownCommand {
  const names = command.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  return { parent: path.join(' '), word, suggestion: nearest(word, [...names, 'help']) };
}

function subcommandNamed(command: Command, word: string): Command | undefined {
  return command.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

/**
 * Where the first operand (a word that is neither an option nor an option's value) stands in args, or
 * undefined when there is none, or when the line has an option this command does not know (commander
 * reports that one itself) or a `--` (everything after it is an argument).
 */
function firstOperand(command: Command, args: string[]): number | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return undefined;
    if (!(arg.length > 1 && arg.startsWith('-'))) return i;
    if (arg === '-h' || arg === '--help') continue;
    const option = optionNamed(command, arg);
    if (!option) return undefined;
    // `--flag value` takes the next word; `--flag=value` and `-fvalue` carry their value.
    const inline = arg.includes('=') || (!arg.startsWith('--') && arg.length > 2);
    if (option.required && !inline) i++;
    else if (option.optional && !inline && i + 1 < args.length && !args[i + 1].startsWith('-')) i++;
  }
  return undefined;
}

function optionNamed(command: Command, arg: string): Option | undefined {
  const flag = arg.startsWith('--') ? arg.split('=')[0] : arg.slice(0, 2);
  return command.options.find((o) => o.long === flag || o.short === flag);
}

/**
 * The candidate a typo most likely meant: the smallest edit distance (insert, delete, substitute, swap
 * two neighbours), accepted under commander's own rule for suggestions (fewer than 3 edits and more than
 * 40% of the longer word unchanged, commander's lib/suggestSimilar.js), or else the one candidate the
 * word begins (`standby evid` → `evidence`, as cobra, gh's command library, suggests by prefix).
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of new Set(candidates)) {
    if (name.length <= 1) continue;
    const distance = editDistance(word, name);
    const similarity = (Math.max(word.length, name.length) - distance) / Math.max(word.length, name.length);
    if (distance < 3 && similarity > 0.4 && (!best || distance < best.distance)) best = { name, distance };
  }
  if (best) return best.name;
  const prefixed = [...new Set(candidates)].filter((name) => word.length >= 2 && name.startsWith(word));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
