import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { actionsIO } from '../../src/io/actions-io.js';
import { parseGithubOutput } from '../helpers/run-dist.js';

/**
 * The runner protocol, as GitHub documents it and @actions/core 3 writes it (docs/architecture.md,
 * "Talking to the runner"): the same bytes without loading @actions/core.
 */
describe('actionsIO (the Actions runner protocol)', () => {
  const written: string[] = [];
  afterEach(() => {
    jest.restoreAllMocks();
    written.length = 0;
    process.exitCode = undefined;
  });
  const capture = () =>
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

  function files() {
    const dir = mkdtempSync(path.join(tmpdir(), 'standby-io-'));
    const output = path.join(dir, 'output');
    const summary = path.join(dir, 'summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    return { output, summary };
  }

  it('reads INPUT_<NAME> (upper-cased, hyphens kept, spaces as _) and trims it', () => {
    const io = actionsIO({ 'INPUT_RECEIPT-BUCKET': '  bucket \n', INPUT_A_B: 'x' });
    expect(io.input('receipt-bucket')).toBe('bucket');
    expect(io.input('a b')).toBe('x');
    expect(io.input('missing')).toBe('');
  });

  it('appends outputs as name<<delimiter blocks (multi-line values intact) and the summary as markdown', async () => {
    const { output, summary } = files();
    const io = actionsIO({ GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary });
    io.setOutput('reasons', '[{"code":"stale"}]');
    io.setOutput('report', 'line 1\nline 2');
    await io.summary('## Title\n\n| a |');
    const text = readFileSync(output, 'utf8');
    expect(text).toMatch(/^reasons<<ghadelimiter_[0-9a-f-]{36}\n/);
    expect(parseGithubOutput(text)).toEqual({ reasons: '[{"code":"stale"}]', report: 'line 1\nline 2' });
    expect(readFileSync(summary, 'utf8')).toBe('## Title\n\n| a |\n');
  });

  it('issues warning, error and add-mask commands with their data escaped; fail sets exit code 1', () => {
    capture();
    const io = actionsIO({});
    io.warning('50% done\nnext');
    io.mask('s3cr3t');
    io.fail('phase failed: bad\r\ninput');
    io.info('plain line');
    expect(written).toEqual([
      '::warning::50%25 done%0Anext\n',
      '::add-mask::s3cr3t\n',
      '::error::phase failed: bad%0D%0Ainput\n',
      'plain line\n',
    ]);
    expect(process.exitCode).toBe(1);
  });
});
