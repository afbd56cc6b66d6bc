import type { Terminal } from '../../src/cli/terminal.js';

/** A Terminal that records what the CLI printed. */
export function captureTerminal(color = false): Terminal & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, color, out: (text) => stdout.push(text), err: (text) => stderr.push(text) };
}
