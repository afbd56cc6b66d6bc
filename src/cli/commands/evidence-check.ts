import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AttestationError, type ParsedAttestation, parseAttestation } from '../../evidence/attestation.js';
import { DRILL_REQUIRED_PHASES } from '../../evidence/bundle.js';
import { readBundleDir } from '../../evidence/bundle-files.js';
import { type CheckOptions, checkBundle } from '../../evidence/check.js';
import { PHASES } from '../../receipts/envelope.js';
import { describeError } from '../../util/errors.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseExecutionId, parseList, parseNumber } from '../../validation/primitives.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { renderCheckReport } from './evidence-report.js';
import { nestedCommand, usage } from './nested.js';

interface CheckFlags {
  require: string;
  acceptEmulator?: boolean;
  executionId?: string;
  runId?: string;
  expectHead?: string;
  expectCount?: string;
  attestation?: string;
  requireAlarm?: boolean;
  requireVersioning?: boolean;
  alarmLeadMinutes: string;
  alarmTrailMinutes: string;
  verifySources?: boolean;
  protectedBranch?: string;
  apiUrl?: string;
  json?: boolean;
}

/** `standby evidence check <dir>`: the verdict is pure (src/evidence/check.ts); this reads files and prints. */
export function checkCommand(term: Terminal): Command {
  return nestedCommand('check', term, [
    'standby evidence check evidence/drill-123456',
    'standby evidence check evidence/alarm-123456 --expect-head 9f2c…(64 hex from the run summary) --expect-count 11',
    'standby evidence check evidence/alarm-123456 --attestation attestation.jsonl   # after gh attestation verify',
    'standby evidence check evidence/local-20261122 --accept-emulator --json',
    'GH_TOKEN=$(gh auth token) standby evidence check evidence/alarm-123456 --verify-sources   # a manual teardown, sweep or activation',
  ])
    .description(
      'Verify an evidence bundle; lists every problem. Exit 0 verified, 3 problems found, 2 usage, 1 error.',
    )
    .argument('<dir>', 'bundle directory made by `standby evidence collect`')
    .option(
      '--require <phases>',
      'comma-separated phases whose newest receipt must be ok',
      DRILL_REQUIRED_PHASES.join(','),
    )
    .option(
      '--accept-emulator',
      'accept receipts from the local emulator; skipped phases are then reported as not run',
    )
    .option('--execution-id <id>', "execution the bundle must belong to (default: the manifest's)")
    .option('--run-id <id>', 'GitHub Actions run that owns the execution (default: from the execution id)')
    .option('--expect-head <sha256>', 'the chain head the run published: the bucket chain must end there')
    .option('--expect-count <n>', 'with --expect-head: how many receipts the chain had when published')
    .option(
      '--attestation <file>',
      "the run's attestation of the bundle (verify its signature with gh first)",
    )
    .option('--require-alarm', 'require OK→ALARM→OK whatever the kind of run (default: alarm-started runs)')
    .option('--require-versioning', 'fail when the bucket versions cannot show overwrites and deletions')
    .option('--alarm-lead-minutes <n>', 'alarm changes this long before the first receipt still count', '60')
    .option('--alarm-trail-minutes <n>', 'alarm changes this long after the last receipt still count', '60')
    .option(
      '--verify-sources',
      "ask GitHub (GH_TOKEN, actions: read) to confirm the runs that wrote receipts outside the execution's run; without it such receipts leave the bundle unverified",
    )
    .option(
      '--protected-branch <name>',
      "with --verify-sources: the branch those runs must have run on (default: the repository's default branch)",
    )
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL or https://api.github.com)')
    .option('--json', 'print the report as JSON')
    .action(
      returnsExitCode(async (dir: string, flags: CheckFlags) => {
        const options: CheckOptions = {
          ...usage(() => parseFlags(flags)),
          attestation: flags.attestation ? await readAttestation(flags.attestation) : undefined,
        };
        const files = await readBundle(dir);
        let report = checkBundle(files, options);
        if (flags.verifySources && report.outOfRun.length > 0) {
          const progress = (line: string) => term.err(line);
          // Loaded only here: Octokit stays out of every check that does not ask GitHub.
          const { fetchSourceProofs } = await import('./evidence-sources.js');
          const sourceProofs = await fetchSourceProofs(report.outOfRun, flags, progress);
          report = checkBundle(files, { ...options, sourceProofs });
        }
        term.out(flags.json ? JSON.stringify(report, null, 2) : renderCheckReport(report, dir, term));
        return report.verified ? EXIT.ok : EXIT.attention;
      }),
    );
}

function parseFlags(flags: CheckFlags): CheckOptions {
  const minutes = (name: string, raw: string) => parseNumber(name, raw, { min: 0, max: 7 * 24 * 60 });
  if (flags.expectCount !== undefined && !flags.expectHead)
    throw new InputError('expect-count', 'needs --expect-head (the count belongs to a head)');
  return {
    require: parseRequired(flags.require),
    acceptEmulator: Boolean(flags.acceptEmulator),
    executionId: flags.executionId ? parseExecutionId('execution-id', flags.executionId) : undefined,
    runId: flags.runId === undefined ? undefined : parseRunId(flags.runId),
    expectHead: flags.expectHead === undefined ? undefined : parseSha256('expect-head', flags.expectHead),
    expectCount:
      flags.expectCount === undefined
        ? undefined
        : parseNumber('expect-count', flags.expectCount, { min: 1, max: 100_000, integer: true }),
    requireAlarm: Boolean(flags.requireAlarm),
    requireVersioning: Boolean(flags.requireVersioning),
    alarmLeadMinutes: minutes('alarm-lead-minutes', flags.alarmLeadMinutes),
    alarmTrailMinutes: minutes('alarm-trail-minutes', flags.alarmTrailMinutes),
  };
}

function parseSha256(input: string, raw: string): string {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(value))
    throw new InputError(
      input,
      `${quoted(raw)} is not a sha256 (64 hex digits, as the run summary prints it)`,
    );
  return value;
}

function parseRunId(raw: string): string {
  if (!/^\d{1,20}$/.test(raw.trim()))
    throw new InputError('run-id', `${quoted(raw)} is not a GitHub Actions run id (digits)`);
  return raw.trim();
}

async function readAttestation(file: string): Promise<ParsedAttestation> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      `cannot read --attestation ${file} (${error.code ?? error.message}): pass the file gh attestation download wrote`,
      EXIT.usage,
    );
  });
  try {
    return parseAttestation(text, file);
  } catch (error) {
    if (error instanceof AttestationError) throw new CliError(`--attestation: ${error.message}`, EXIT.usage);
    throw error;
  }
}

async function readBundle(dir: string) {
  try {
    return await readBundleDir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new CliError(
        `${dir} is not a directory: pass the directory \`standby evidence collect --out\` made`,
        EXIT.usage,
      );
    throw new CliError(`cannot read ${dir}: ${describeError(error)}`, EXIT.failed);
  }
}

function parseRequired(raw: string): string[] {
  const phases = parseList(raw);
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new InputError(
      'require',
      `unknown phase(s) ${unknown.join(', ')}; phases are ${PHASES.join(', ')}`,
    );
  return phases;
}
