// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles) as terminals emit them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Removes terminal escape sequences, so logs, summaries and receipts hold plain text (-no-color is not trusted alone). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
