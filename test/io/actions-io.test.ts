import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { actionsIO } from '../../src/io/actions-io.js';
import { parseGithubOutput } from '../helpers/run-dist.js';

/**
 * The runner protocol through @actions/core (docs/architecture.md, "Talking to the runner"), checked
 * against real GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files and the workflow commands on stdout, as
 * GitHub's "Workflow commands for GitHub Actions" documents them.
 */
describe('actionsIO (the Actions runner protocol through @actions/core)', () => {
  const written: string[] = [];
  const saved = { ...process.env };
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    written.length = 0;
    process.exitCode = undefined;
    process.env = { ...saved };
  });

  function files() {
    const dir = mkdtempSync(path.join(tmpdir(), 'standby-io-'));
    const output = path.join(dir, 'output');
    const summary = path.join(dir, 'summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    process.env.GITHUB_OUTPUT = output;
    process.env.GITHUB_STEP_SUMMARY = summary;
    return { output, summary };
  }

  it('reads INPUT_<NAME> (upper-cased, hyphens kept, spaces as _) and trims it', () => {
    process.env['INPUT_RECEIPT-BUCKET'] = '  bucket \n';
    process.env.INPUT_A_B = 'x';
    const io = actionsIO();
    expect(io.input('receipt-bucket')).toBe('bucket');
    expect(io.input('a b')).toBe('x');
    expect(io.input('missing')).toBe('');
  });

  it('writes outputs to GITHUB_OUTPUT as delimited blocks (multi-line values intact), not ::set-output', async () => {
    const { output, summary } = files();
    const io = actionsIO();
    io.setOutput('reasons', '[{"code":"stale"}]');
    io.setOutput('report', 'line 1\nline 2');
    await io.summary('## Title\n\n| a |');
    await io.summary('second');
    const text = readFileSync(output, 'utf8');
    expect(text).toMatch(/^reasons<<ghadelimiter_[0-9a-f-]{36}\n/);
    expect(parseGithubOutput(text)).toEqual({ reasons: '[{"code":"stale"}]', report: 'line 1\nline 2' });
    expect(readFileSync(summary, 'utf8')).toBe('## Title\n\n| a |\nsecond\n');
    expect(written.join('')).not.toContain('::set-output');
  });

  it('without a summary file (outside a step) the summary is dropped, not an error', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(actionsIO().summary('x')).resolves.toBeUndefined();
  });

  it('annotates with file and line where given, escapes data, masks, groups, and fail sets exit code 1', async () => {
    const io = actionsIO();
    io.warning('50% done\nnext');
    io.notice('plan has 3 changes', { file: 'terraform/runner/main.tf', line: 12 });
    io.mask('s3cr3t');
    io.mask('');
    io.debug('only with ACTIONS_STEP_DEBUG');
    await expect(io.group('Terraform apply', async () => 7)).resolves.toBe(7);
    io.info('plain line');
    io.fail('phase failed: bad\r\ninput');
    expect(written).toEqual([
      '::warning::50%25 done%0Anext\n',
      '::notice file=terraform/runner/main.tf,line=12::plan has 3 changes\n',
      '::add-mask::s3cr3t\n',
      '::debug::only with ACTIONS_STEP_DEBUG\n',
      '::group::Terraform apply\n',
      '::endgroup::\n',
      'plain line\n',
      '::error::phase failed: bad%0D%0Ainput\n',
    ]);
    expect(process.exitCode).toBe(1);
  });

  it('a failure with a place is an error annotation on that line, and still exit code 1', () => {
    actionsIO().fail('undeclared variable', { file: 'terraform/runner/variables.tf', line: 3 });
    expect(written).toEqual(['::error file=terraform/runner/variables.tf,line=3::undeclared variable\n']);
    expect(process.exitCode).toBe(1);
  });
});
