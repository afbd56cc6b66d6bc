import { Command } from 'commander';
import { type DrillAge, drillAge, whyNotDatable } from '../../operator/drill-age.js';
import { findNewestVerifiedDrill, listDrillExecutions } from '../../operator/drill-evidence.js';
import { whyDrillUnconfirmed } from '../../operator/drill-run.js';
import type { Rejection } from '../../operator/trigger-gate.js';
import { describeError } from '../../util/errors.js';
import { type MetricTarget, parseMetricTarget } from '../../validation/cloudwatch.js';
import { parseNumber } from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import { githubAccess } from '../github-access.js';
import { parseReceiptFolder } from '../receipt-folder.js';
import { paint, type Terminal } from '../terminal.js';
import { usage } from './nested.js';

interface DrillAgeFlags extends AwsFlags {
  receiptBucket: string;
  receiptPrefix: string;
  maxDrills: string;
  repo?: string;
  apiUrl?: string;
  publish?: boolean;
  metricNamespace: string;
  metricDimensions?: string;
  publishBucket?: string;
  publishPrefix?: string;
  json?: boolean;
}

/** `standby drill-age`: how old the newest verified drill is; with --publish, as DrillAgeHours. */
export function drillAgeCommand(term: Terminal): Command {
  return new Command('drill-age')
    .description(
      'The age of the newest verified drill of this deployment (evidence check passes, GitHub confirms its drill.yml run); with --publish, as the DrillAgeHours metric the drill-age alarm watches.',
    )
    .requiredOption(
      '--receipt-bucket <bucket>',
      'bucket holding the drills’ receipts (STANDBY_RECEIPT_BUCKET)',
    )
    .option('--receipt-prefix <prefix>', 'receipt key prefix', 'standby/receipts')
    .option('--max-drills <n>', 'how many of the newest drills to read before giving up', '10')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL or https://api.github.com)')
    .option('--publish', 'put DrillAgeHours to CloudWatch (nothing is put when no drill is verified)')
    .option('--metric-namespace <ns>', 'CloudWatch namespace (the same as check-health)', 'Standby/Pipeline')
    .option('--metric-dimensions <pairs>', "Name=Value pairs, comma-separated (check-health's)")
    .option('--publish-bucket <bucket>', "the publisher's bucket, for check-health's default dimension")
    .option('--publish-prefix <prefix>', "the publisher's prefix, for check-health's default dimension")
    .option('--aws-region <region>', 'AWS region of the receipt bucket and the metric (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  $ GH_TOKEN=$(gh auth token) standby drill-age --repo acme/batch-dr --receipt-bucket acme-dr-receipts\n  $ standby drill-age --receipt-bucket acme-dr-receipts --publish --publish-bucket acme-publish --publish-prefix batch --json\n\nExit codes: 0 a verified drill was found (and published); 3 none verifies (nothing published: the alarm treats the missing data as breaching); 2 bad flags; 1 an AWS or GitHub error.\n',
    )
    .action(returnsExitCode((flags: DrillAgeFlags) => run(term, flags)));
}

async function run(term: Terminal, flags: DrillAgeFlags): Promise<number> {
  const progress = (line: string) => term.err(paint(term, 'dim', line));
  const folder = usage(() => parseReceiptFolder(flags));
  const maxDrills = usage(() =>
    parseNumber('--max-drills', flags.maxDrills, { min: 1, max: 50, integer: true }),
  );
  const target = flags.publish ? usage(() => metricTarget(flags)) : undefined;
  const aws = awsFromFlags(flags);
  const { client, repository } = githubAccess(flags, progress);
  const repo = `${repository.owner}/${repository.repo}`;
  await checkExpectedAccount(aws, flags);

  const now = new Date();
  const drills = await listDrillExecutions(aws.s3, folder).catch((error) => {
    throw new CliError(`cannot list the drills: ${describeError(error)}`, EXIT.failed);
  });
  progress(`${drills.length} drill execution(s) in s3://${folder.bucket}/${folder.prefix}`);
  const found = await findNewestVerifiedDrill(aws.s3, folder, drills, {
    repository: repo,
    maxDrills,
    progress,
    accept: async (check) =>
      whyNotDatable(check, now) ?? (await whyDrillUnconfirmed(client, repository, check)),
  });
  const age = found.proof ? drillAge(found.proof, now) : undefined;
  if (age && target) {
    const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
    const { publishDrillAge } = await import('../../phases/check-health/metrics.js');
    await publishDrillAge(
      aws.client('cloudwatch', (c) => new CloudWatchClient(c)),
      target,
      age.ageHours,
      now,
    );
  }
  report(term, flags, { repo, age, target, examined: found.examined, read: found.checks.length });
  return age ? EXIT.ok : EXIT.attention;
}

/** check-health's namespace and dimensions, read from the flags named like its inputs. */
function metricTarget(flags: DrillAgeFlags): MetricTarget {
  const byInput: Record<string, string | undefined> = {
    'metric-namespace': flags.metricNamespace,
    'metric-dimensions': flags.metricDimensions,
    'publish-bucket': flags.publishBucket,
    'publish-prefix': flags.publishPrefix,
  };
  return parseMetricTarget((name) => byInput[name] ?? '', '--publish');
}

function report(
  term: Terminal,
  flags: DrillAgeFlags,
  result: { repo: string; age?: DrillAge; target?: MetricTarget; examined: Rejection[]; read: number },
): void {
  const { repo, age, target, examined } = result;
  const published = Boolean(age && target);
  if (flags.json) {
    term.out(
      JSON.stringify(
        {
          repository: repo,
          newest_verified_drill: age
            ? {
                execution_id: age.executionId,
                ended_at: age.endedAt,
                age_hours: age.ageHours,
                age_days: age.ageDays,
              }
            : null,
          published: published ? { metric: 'DrillAgeHours', ...target } : null,
          examined,
        },
        null,
        2,
      ),
    );
    return;
  }
  const passed = examined.map((e) => `Passed over ${e.executionId}: ${e.why}.`);
  if (!age) {
    term.err(
      paint(
        term,
        'red',
        `no verified drill of ${repo} among the ${result.read} newest: DrillAgeHours not published.`,
      ),
    );
    if (passed.length > 0) term.err(passed.join('\n'));
    term.err(
      'Next: run a drill (gh workflow run drill.yml), check it (standby evidence collect, standby evidence check); the drill-age alarm stays in ALARM until one verifies.',
    );
    return;
  }
  term.out(
    [
      `Newest verified drill of ${repo}: ${age.executionId}, ended ${age.endedAt}: ${age.ageHours} h (${age.ageDays} day(s)) ago.`,
      ...(published ? [`Published DrillAgeHours=${age.ageHours} to ${target?.namespace}.`] : []),
      ...passed,
    ].join('\n'),
  );
}
