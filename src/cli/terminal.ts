/** Terminal output: colour only on a TTY (and never with NO_COLOR), markdown summaries made readable. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}

export function processTerminal(): Terminal {
  // `standby … | head` closes the pipe early: that is the reader's choice, not an error to crash on.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
  };
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] } as const;
export type Style = keyof typeof CODES;

export function paint(term: Pick<Terminal, 'color'>, style: Style, text: string): string {
  if (!term.color) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** Renders the markdown the phases write for job summaries as plain aligned text. */
export function markdownToText(markdown: string, term: Pick<Terminal, 'color'>): string {
  const out: string[] = [];
  let table: string[][] = [];
  const flush = () => {
    if (table.length === 0) return;
    const widths = table[0]?.map((_, col) => Math.max(...table.map((row) => (row[col] ?? '').length))) ?? [];
    table.forEach((row, i) => {
      const line = row
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd();
      out.push(i === 0 ? paint(term, 'bold', line) : line);
    });
    table = [];
  };
  for (const raw of markdown.split('\n')) {
    const line = raw
      .replace(/\*\*(.+?)\*\*/g, (_, t: string) => paint(term, 'bold', t))
      .replace(/`([^`]*)`/g, '$1');
    if (/^\|.*\|$/.test(line.trim())) {
      if (/^\|(\s*-+\s*\|)+$/.test(line.trim())) continue;
      table.push(
        line
          .trim()
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/\\\|/g, '|')),
      );
      continue;
    }
    flush();
    const heading = /^#+\s+(.*)$/.exec(line);
    out.push(heading ? paint(term, 'bold', heading[1] ?? '') : line);
  }
  flush();
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}
