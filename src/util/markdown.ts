// Markdown for job summaries, notifications and reports: shared by the phases and the libraries below
// them, so it lives here rather than in src/phases/.

/** Keeps table cells intact and stops stray markdown in error messages from rendering. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}
