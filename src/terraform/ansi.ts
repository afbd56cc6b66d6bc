import { stripVTControlCharacters } from 'node:util';

/**
 * Removes terminal escape sequences (colours, cursor moves, OSC hyperlinks and titles), so logs,
 * summaries and receipts hold plain text (-no-color is not trusted alone). Node's own stripper: it
 * agreed with the hand-written pattern it replaced on every case in test/differential/ansi.test.ts.
 */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}
