import { writeFile } from 'node:fs/promises';
import type { RedactionCount } from '../../logs/redact.js';
import { describeError } from '../../util/errors.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';

/** Output helpers shared by `logs export` and `logs redact`. */
export async function writeNew(path: string, text: string): Promise<void> {
  await writeFile(path, text, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST')
      throw new CliError(`${path} already exists: choose another --out or remove it`, EXIT.usage);
    throw new CliError(`cannot write ${path}: ${describeError(error)}`, EXIT.failed);
  });
}

export function report(
  term: Terminal,
  json: boolean | undefined,
  summary: Record<string, unknown> & { redacted: RedactionCount },
): void {
  if (json) {
    term.out(JSON.stringify(summary, null, 2));
    return;
  }
  const { redacted, ...rest } = summary;
  const facts = Object.entries(rest)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  term.out(
    `${facts}; redacted ${redacted.tokens} pagination token(s) and ${redacted.messages} value(s) with a secret replaced`,
  );
}
