import { describe, expect, it } from '@jest/globals';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { captureTerminal } from '../helpers/terminal.js';

describe('runCli and the host process', () => {
  it('returns the exit code and leaves process.exitCode as it found it', async () => {
    const before = process.exitCode;
    expect(
      await runCli(
        ['check-health', '--publish-bucket', 'Bad_Bucket', '--providers', 'a/b', '--json'],
        captureTerminal(),
      ),
    ).toBe(EXIT.usage);
    expect(process.exitCode).toBe(before);
    expect(await runCli(['no-such-command'], captureTerminal())).toBe(EXIT.usage);
    expect(process.exitCode).toBe(before);
  });
});
