import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { allTfFiles, TERRAFORM_ROOT } from '../helpers/terraform-modules.js';

const CHECKOV = path.resolve('.venv-checkov/bin/checkov');

interface CheckovReport {
  check_type: string;
  results: {
    failed_checks: { check_id: string; resource: string; file_path: string }[];
    skipped_checks: { check_id: string; resource: string; check_result: { suppress_comment?: string } }[];
  };
  summary: {
    passed: number;
    failed: number;
    skipped: number;
    parsing_errors: number;
    checkov_version: string;
  };
}

describe('checkov policy scan of terraform/', () => {
  it('finds 0 failed checks and parses every file', async () => {
    expect(existsSync(CHECKOV)).toBe(true); // installed by scripts/bootstrap.sh (requirements-checkov.txt)
    // --skip-download: no network; the bundled policies are the pinned version's.
    const { stdout } = await promisify(execFile)(
      CHECKOV,
      ['--directory', TERRAFORM_ROOT, '--framework', 'terraform', '--skip-download', '--output', 'json'],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' } },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' })); // exit 1 when a check fails
    const parsed = JSON.parse(stdout) as CheckovReport | CheckovReport[];
    const reports = Array.isArray(parsed) ? parsed : [parsed];
    const terraform = reports.find((report) => report.check_type === 'terraform') as CheckovReport;
    const failed = terraform.results.failed_checks.map((c) => `${c.check_id} ${c.resource} (${c.file_path})`);
    expect(failed).toEqual([]);
    expect(terraform.summary.parsing_errors).toBe(0);
    expect(terraform.summary.passed).toBeGreaterThan(150);
    // Every skip checkov honoured is one of ours, with its reason.
    expect(terraform.results.skipped_checks.length).toBe(terraform.summary.skipped);
    for (const skip of terraform.results.skipped_checks)
      expect(skip.check_result.suppress_comment?.trim().length).toBeGreaterThan(20);
  }, 240_000);

  it('every skip in the code carries a one-line reason', () => {
    const skips = allTfFiles().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.includes('checkov:skip'))
        .map((line) => ({ file: path.basename(file), line: line.trim() })),
    );
    expect(skips.length).toBeGreaterThan(0);
    for (const skip of skips) expect(skip.line).toMatch(/^#checkov:skip=CKV2?_(AWS|GIT)_\d+:\S.{20,}$/);
  });
});
