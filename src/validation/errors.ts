/** How much of a bad value an error echoes: enough to recognise it, never a pasted file. */
export const QUOTED_MAX_CHARS = 200;

/** Bidirectional overrides and isolates: they reorder how a terminal shows the rest of the line. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;

/**
 * A value as an error message echoes it: in single quotes, at most QUOTED_MAX_CHARS characters (then
 * `…` and the full length), with backslashes, newlines, tabs, other control characters, line separators
 * and bidirectional controls escaped, so an error is always one line that shows what was given.
 */
export function quoted(value: string): string {
  const chars = Array.from(value);
  const shown = chars.length > QUOTED_MAX_CHARS ? chars.slice(0, QUOTED_MAX_CHARS) : chars;
  const escaped = shown.map(escapeChar).join('');
  const cut = chars.length > QUOTED_MAX_CHARS ? `…' (${chars.length} characters)` : "'";
  return `'${escaped}${cut}`;
}

const NAMED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', "'": "\\'" };

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  if (/\p{Cc}|\p{Zl}|\p{Zp}/u.test(char) || BIDI.test(char)) {
    const code = char.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  }
  return char;
}

const hex = (code: number, width: number) => code.toString(16).toUpperCase().padStart(width, '0');

/** How an error names the value it is about: an action names its input, the CLI its flag. */
export type InputNamer = (input: string) => string;

export const actionInput: InputNamer = (input) => `input '${input}'`;
export const cliFlag: InputNamer = (input) => (input.startsWith('-') ? input : `--${input}`);

/** An input the operator gave is wrong. The message says which input and what a good value looks like. */
export class InputError extends Error {
  constructor(
    /** The action input's name (`publish-bucket`), or a CLI-only flag as written (`--run`). */
    readonly input: string,
    /** What is wrong, without the name: `is required`, `'x' is not an AWS region code ...`. */
    readonly detail: string,
  ) {
    super(describeInputError(input, detail, input.startsWith('-') ? cliFlag : actionInput));
    this.name = 'InputError';
  }

  /** The message naming the value the way the surface the operator used does. */
  named(namer: InputNamer): string {
    return describeInputError(this.input, this.detail, namer);
  }
}

function describeInputError(input: string, detail: string, namer: InputNamer): string {
  const name = namer(input);
  // A flag reads on into a predicate ("--publish-bucket is required"); an input keeps its "input 'x':" form.
  if (namer !== actionInput && /^(is|are|must|may|has|should|names|needs) /.test(detail))
    return `${name} ${detail}`;
  return `${name}: ${detail}`;
}
