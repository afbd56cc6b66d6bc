import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { parseFailbackInputs } from '../../failback/inputs.js';
import { DEFAULT_RUN_PREFIX_TEMPLATE } from '../../failback/layout.js';
import { type FailbackOutcome, renderFailbackReport } from '../../failback/report.js';
import { type FailbackDeps, runFailback } from '../../failback/run.js';
import { cliFlag, InputError } from '../../validation/errors.js';
import { awsFromFlags } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';

const EXIT_FOR: Record<FailbackOutcome, number> = {
  planned: EXIT.ok,
  applied: EXIT.ok,
  refused: EXIT.attention,
  divergent: EXIT.attention,
  'apply-failed': EXIT.failed,
  'verify-failed': EXIT.failed,
};

export interface FailbackCommandOptions {
  /** Asks for the DR run id when --apply has no --confirm (default: a prompt when stdin is a terminal). */
  ask?: (question: string) => Promise<string | undefined>;
  beforeApply?: FailbackDeps['beforeApply'];
}

export function failbackCommand(term: Terminal, options: FailbackCommandOptions = {}): Command {
  return new Command('failback')
    .description(
      'Switch the publish pointers back from the DR run to the primary run. Dry run unless --apply (docs/failback.md).',
    )
    .requiredOption('--publish-bucket <bucket>', 'bucket the batch system publishes to (required)')
    .option('--publish-prefix <prefix>', 'key prefix of the publisher (state/ lives under it)', '')
    .requiredOption('--primary-run-id <id>', 'run id the pointers switch back to (required)')
    .requiredOption('--dr-run-id <id>', 'run id every pointer names now (required)')
    .requiredOption(
      '--providers <pairs>',
      'provider/profile pairs, comma-separated or one per line (required)',
    )
    .option(
      '--run-prefix-template <template>',
      "where a run's objects live, relative to the prefix",
      DEFAULT_RUN_PREFIX_TEMPLATE,
    )
    .option('--apply', 'write the pointers (default: dry run, nothing written)')
    .option(
      '--confirm <dr-run-id>',
      'the DR run id typed again; required with --apply (prompted on a terminal)',
    )
    .option('--accept-divergence', "apply even though the two runs' listings differ")
    .option(
      '--expect-state-digest <sha256>',
      "apply only if the pointers are still exactly as in a plan (that plan's state digest)",
    )
    .option('--receipt-bucket <bucket>', 'S3 bucket for the step receipts (required with --apply)')
    .option('--receipt-prefix <prefix>', 'key prefix for receipts', 'standby/receipts')
    .option('--execution-id <id>', 'receipt folder name (default: failback-<timestamp>)')
    .option('--expected-account-id <id>', 'refuse unless the AWS credentials belong to this account')
    .option('--aws-region <region>', 'AWS region (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option('--json', 'print the report as JSON')
    .option(
      '--json-out <file>',
      'also write the JSON report to this file (the workflow passes it between jobs)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 planned or applied and verified, 1 failed (apply stopped or verify failed),',
        '            2 bad flags, 3 refused (pointers not on the DR run, no primary objects) or runs diverge.',
        '',
        'Examples:',
        '  # dry run: capture pointers, compare the runs, print the plan',
        '  $ standby failback --publish-bucket my-publisher --publish-prefix batch --providers acme/daily,acme/hourly \\',
        '      --primary-run-id run-20261119-0400 --dr-run-id dr-20261120-0400',
        '  # apply, typing the DR run id again; receipts to my-receipts',
        '  $ standby failback --publish-bucket my-publisher --publish-prefix batch --providers acme/daily \\',
        '      --primary-run-id run-20261119-0400 --dr-run-id dr-20261120-0400 \\',
        '      --apply --confirm dr-20261120-0400 --receipt-bucket my-receipts --json',
        '',
      ].join('\n'),
    )
    .action(returnsExitCode((flags: FailbackFlags) => runFailbackCommand(term, options, flags)));
}

type FailbackFlags = Record<string, string | boolean | undefined>;

/** The flags as the failback inputs (the same names and parser the docs describe). */
function failbackInputs(flags: FailbackFlags): ReturnType<typeof parseFailbackInputs> {
  const text = (value: string | boolean | undefined) => String(value ?? '');
  const raw: Record<string, string> = {
    'publish-bucket': text(flags.publishBucket),
    'publish-prefix': text(flags.publishPrefix),
    'primary-run-id': text(flags.primaryRunId),
    'dr-run-id': text(flags.drRunId),
    providers: text(flags.providers),
    'run-prefix-template': text(flags.runPrefixTemplate),
    apply: flags.apply ? 'true' : 'false',
    confirm: text(flags.confirm),
    'accept-divergence': flags.acceptDivergence ? 'true' : 'false',
    'receipt-bucket': text(flags.receiptBucket),
    'receipt-prefix': text(flags.receiptPrefix),
    'execution-id': text(
      flags.executionId ?? `failback-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`,
    ),
    'expected-account-id': text(flags.expectedAccountId),
    'expect-state-digest': text(flags.expectStateDigest),
  };
  try {
    return parseFailbackInputs((name) => raw[name] ?? '');
  } catch (error) {
    if (error instanceof InputError) throw new CliError(error.named(cliFlag), EXIT.usage);
    throw error;
  }
}

async function runFailbackCommand(
  term: Terminal,
  options: FailbackCommandOptions,
  flags: FailbackFlags,
): Promise<number> {
  const aws = awsFromFlags({
    awsRegion: typeof flags.awsRegion === 'string' ? flags.awsRegion : undefined,
    endpointUrl: typeof flags.endpointUrl === 'string' ? flags.endpointUrl : undefined,
  });
  if (flags.apply && !flags.confirm)
    flags.confirm = await (options.ask ?? promptOnTerminal)(
      `Type the DR run id (${String(flags.drRunId)}) to switch the pointers back to ${String(flags.primaryRunId)}: `,
    );
  const inputs = failbackInputs(flags);
  const progress = (line: string) => term.err(paint(term, 'dim', line));
  if (!inputs.receipts) progress('warning: no --receipt-bucket given: this dry run leaves no receipts');
  const report = await runFailback(inputs, { aws, progress, beforeApply: options.beforeApply });
  if (typeof flags.jsonOut === 'string')
    await writeFile(flags.jsonOut, `${JSON.stringify(report, null, 2)}\n`);
  term.out(flags.json ? JSON.stringify(report, null, 2) : markdownToText(renderFailbackReport(report), term));
  return EXIT_FOR[report.outcome];
}

/** Reads the confirmation from the terminal; without one (CI, a pipe) there is nothing to ask. */
async function promptOnTerminal(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
