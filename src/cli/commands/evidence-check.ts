import type { Command } from 'commander';
import { DRILL_REQUIRED_PHASES } from '../../evidence/bundle.js';
import { readBundleDir } from '../../evidence/bundle-files.js';
import { type CheckOptions, checkBundle } from '../../evidence/check.js';
import { PHASES } from '../../receipts/envelope.js';
import { describeError } from '../../util/errors.js';
import { InputError } from '../../validation/errors.js';
import { parseExecutionId, parseList, parseNumber } from '../../validation/primitives.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { renderCheckReport } from './evidence-report.js';
import { nestedCommand, usage } from './nested.js';

interface CheckFlags {
  require: string;
  acceptEmulator?: boolean;
  executionId?: string;
  alarmLeadMinutes: string;
  alarmTrailMinutes: string;
  json?: boolean;
}

/** `standby evidence check <dir>`: the verdict is pure (src/evidence/check.ts); this reads files and prints. */
export function checkCommand(term: Terminal): Command {
  return nestedCommand('check', term, [
    'standby evidence check evidence/drill-123456',
    'standby evidence check evidence/local-20261122 --accept-emulator --json',
    'standby evidence check evidence/drill-123456 --require check-health,restore-precheck,restore,validate',
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
    .option('--alarm-lead-minutes <n>', 'alarm changes this long before the first receipt still count', '60')
    .option('--alarm-trail-minutes <n>', 'alarm changes this long after the last receipt still count', '60')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, flags: CheckFlags) => {
      const options: CheckOptions = usage(() => ({
        require: parseRequired(flags.require),
        acceptEmulator: Boolean(flags.acceptEmulator),
        executionId: flags.executionId ? parseExecutionId('execution-id', flags.executionId) : undefined,
        alarmLeadMinutes: parseNumber('alarm-lead-minutes', flags.alarmLeadMinutes, {
          min: 0,
          max: 7 * 24 * 60,
        }),
        alarmTrailMinutes: parseNumber('alarm-trail-minutes', flags.alarmTrailMinutes, {
          min: 0,
          max: 7 * 24 * 60,
        }),
      }));
      let files: Awaited<ReturnType<typeof readBundleDir>>;
      try {
        files = await readBundleDir(dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
          throw new CliError(
            `${dir} is not a directory: pass the directory \`standby evidence collect --out\` made`,
            EXIT.usage,
          );
        throw new CliError(`cannot read ${dir}: ${describeError(error)}`, EXIT.failed);
      }
      const report = checkBundle(files, options);
      term.out(flags.json ? JSON.stringify(report, null, 2) : renderCheckReport(report, dir, term));
      process.exitCode = report.verified ? EXIT.ok : EXIT.attention;
    });
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
