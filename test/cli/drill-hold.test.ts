import { describe, expect, it } from '@jest/globals';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { captureTerminal } from '../helpers/terminal.js';

describe('standby drill-hold refuses a window that cannot work (issue 20.12), before any GitHub call', () => {
  it.each([
    [['--window-minutes', '351'], /--window-minutes.*350/],
    [['--window-minutes', '720'], /--window-minutes.*350/],
    [
      ['--window-minutes', '60', '--not-after', 'tomorrow'],
      /--not-after.*'tomorrow' is not an RFC 3339 time/,
    ],
  ])('%j exits 2', async (args, message) => {
    const term = captureTerminal();
    const saved = { ...process.env };
    delete process.env.GH_TOKEN;
    delete process.env.GITHUB_TOKEN;
    try {
      expect(await runCli(['drill-hold', '--run', '123', '--repo', 'octo/batch', ...args], term)).toBe(
        EXIT.usage,
      );
    } finally {
      process.env = saved;
    }
    expect(term.stderr.join('\n')).toMatch(message);
  });
});
