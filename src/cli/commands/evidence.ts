import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Command } from 'commander';
import { CollectError, collectEvidence } from '../../evidence/collect.js';
import { S3ReceiptStore } from '../../receipts/store.js';
import { describeError } from '../../util/errors.js';
import {
  parseBucketName,
  parseExecutionId,
  parseKeyPrefix,
  parseNumber,
} from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { checkCommand } from './evidence-check.js';
import { headCommand } from './evidence-head.js';
import { planBundleCommand } from './evidence-plan.js';
import { reportCommand } from './evidence-report.js';
import { commandGroup, nestedCommand, repeatable, usage } from './nested.js';

interface CollectFlags extends AwsFlags {
  executionId: string;
  receiptBucket: string;
  receiptPrefix: string;
  out: string;
  alarmName?: string[];
  alarmHistoryFile?: string[];
  alarmMarginHours: string;
  awsRegion?: string;
  endpointUrl?: string;
  json?: boolean;
}

export function evidenceCommand(term: Terminal): Command {
  const group = commandGroup(
    'evidence',
    'Collect and verify the evidence bundle of one DR run (receipts + alarm history).',
    term,
  );
  group.addCommand(collectCommand(term));
  group.addCommand(checkCommand(term));
  group.addCommand(headCommand(term));
  group.addCommand(planBundleCommand(term));
  group.addCommand(reportCommand(term));
  return group;
}

function collectCommand(term: Terminal): Command {
  return nestedCommand('collect', term, [
    'standby evidence collect --execution-id drill-123456 --receipt-bucket my-receipts --alarm-name standby-pipeline-freshness --out evidence/drill-123456',
    'aws cloudwatch describe-alarm-history --alarm-name standby-pipeline-freshness --output json > alarm.json && standby evidence collect --execution-id drill-123456 --receipt-bucket my-receipts --alarm-history-file alarm.json --out evidence/drill-123456 --json',
  ])
    .description(
      "Copy one execution's receipts (every attempt) and CloudWatch alarm history into a new directory with a manifest.",
    )
    .requiredOption('--execution-id <id>', 'execution whose receipts to collect')
    .requiredOption('--receipt-bucket <bucket>', 'S3 bucket holding the receipts')
    .option('--receipt-prefix <prefix>', 'key prefix of the receipts', 'standby/receipts')
    .requiredOption('--out <dir>', 'directory to create (must not exist or be empty)')
    .option(
      '--alarm-name <name>',
      'CloudWatch alarm whose history to read with DescribeAlarmHistory (repeatable)',
      repeatable,
    )
    .option(
      '--alarm-history-file <file>',
      'saved `aws cloudwatch describe-alarm-history` JSON to include byte for byte (repeatable)',
      repeatable,
    )
    .option(
      '--alarm-margin-hours <hours>',
      'read alarm history from this long before the run to this long after',
      '24',
    )
    .option('--aws-region <region>', 'AWS region (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .option('--json', 'print one JSON object instead of text')
    .action(async (flags: CollectFlags) => {
      const location = usage(() => ({
        executionId: parseExecutionId('execution-id', flags.executionId),
        bucket: parseBucketName('receipt-bucket', flags.receiptBucket),
        prefix: parseKeyPrefix('receipt-prefix', flags.receiptPrefix),
      }));
      const marginHours = usage(() =>
        parseNumber('alarm-margin-hours', flags.alarmMarginHours, { min: 0, max: 24 * 30 }),
      );
      const aws = awsFromFlags(flags);
      await checkExpectedAccount(aws, flags);
      try {
        const result = await collectEvidence({
          receipts: new S3ReceiptStore(aws.s3, location),
          outDir: flags.out,
          alarmNames: flags.alarmName,
          alarmHistoryFiles: flags.alarmHistoryFile,
          cloudwatch: aws.client('cloudwatch', (c) => new CloudWatchClient(c)),
          cloudwatchOverridden: aws.endpoint('cloudwatch') !== undefined,
          alarmMarginHours: marginHours,
        });
        if (flags.json) term.out(JSON.stringify(result, null, 2));
        else {
          term.out(
            `Collected ${result.receipts} receipt file(s) of ${result.executionId} and ${result.alarmFiles.length} alarm history file(s) into ${result.outDir}`,
          );
          if (result.alarmFiles.length === 0)
            term.out(
              'No alarm history: `evidence check` will fail until you add --alarm-name or --alarm-history-file.',
            );
          term.out(`Next: standby evidence check ${result.outDir}`);
        }
      } catch (error) {
        if (error instanceof CollectError)
          throw new CliError(error.message, error.kind === 'usage' ? EXIT.usage : EXIT.failed);
        throw new CliError(
          `${describeError(error)} — check AWS credentials, --aws-region and that the bucket and alarms exist`,
          EXIT.failed,
        );
      }
    });
}
