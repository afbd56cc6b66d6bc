import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { redactText } from '../../logs/redact.js';
import { describeError } from '../../util/errors.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { report, writeNew } from './logs-output.js';
import { nestedCommand } from './nested.js';

interface RedactFlags {
  out?: string;
  inPlace?: boolean;
  keepMessages?: boolean;
  json?: boolean;
}

/** `standby logs redact <file>`: the same redaction as `logs export`, for JSON saved by other tools. */
export function redactCommand(term: Terminal): Command {
  return nestedCommand('redact', term, [
    'standby logs redact get-log-events.json --out get-log-events.redacted.json',
    'standby logs redact bridge-logs.json --in-place --json',
  ])
    .description(
      'Redact every next*Token value (at any depth) in an existing JSON file; the shape is kept and a second run changes nothing.',
    )
    .argument('<file>', 'JSON file, e.g. saved `aws logs get-log-events` or `filter-log-events` output')
    .option('--out <file>', 'write the redacted copy here (must not exist)')
    .option('--in-place', 'rewrite <file> itself')
    .option(
      '--keep-messages',
      'do not run the sanitiser over messages (pagination tokens are still redacted)',
    )
    .option('--json', 'with --out or --in-place: print the summary as JSON')
    .action(async (file: string, flags: RedactFlags) => {
      if (flags.out && flags.inPlace) throw new CliError('give --out or --in-place, not both', EXIT.usage);
      const original = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new CliError(
          `cannot read ${file} (${error.code ?? error.message}): pass a JSON file that exists`,
          EXIT.usage,
        );
      });
      let redacted: ReturnType<typeof redactText>;
      try {
        redacted = redactText(original, { sanitizeMessages: !flags.keepMessages });
      } catch (error) {
        throw new CliError(`${file}: ${describeError(error)}`, EXIT.usage);
      }
      if (!flags.out && !flags.inPlace) return term.out(redacted.text.trimEnd());
      const target = flags.out ?? file;
      if (flags.out) await writeNew(flags.out, redacted.text);
      else if (redacted.text !== original) await writeFile(file, redacted.text);
      report(term, flags.json, {
        file: target,
        changed: redacted.text !== original,
        redacted: redacted.count,
      });
    });
}
