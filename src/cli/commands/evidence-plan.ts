import type { Command } from 'commander';
import { PlanBundleRefused, writePlanBundle } from '../../evidence/plan-bundle-io.js';
import { S3ReceiptStore } from '../../receipts/store.js';
import { parseBucketName, parseExecutionId, parseKeyPrefix } from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { nestedCommand, usage } from './nested.js';

interface PlanFlags extends AwsFlags {
  executionId: string;
  receiptBucket: string;
  receiptPrefix: string;
  out: string;
  json?: boolean;
}

/** `standby evidence plan`: the deterministic plan bundle of a plan-only drill, from its receipts. */
export function planBundleCommand(term: Terminal): Command {
  return nestedCommand('plan', term, [
    'standby evidence plan --execution-id drill-123456 --receipt-bucket my-receipts --out plan/drill-123456',
    'diff -r plan/run-1 plan/run-2   # the two plan-manifest.json files match byte for byte on the same inputs',
  ])
    .description(
      'Write the plan bundle of a plan-only drill (check-health, restore-precheck, Terraform plan) into a new directory.',
    )
    .requiredOption('--execution-id <id>', 'execution whose receipts to bundle')
    .requiredOption('--receipt-bucket <bucket>', 'S3 bucket holding the receipts')
    .option('--receipt-prefix <prefix>', 'key prefix of the receipts', 'standby/receipts')
    .requiredOption('--out <dir>', 'directory to create (must not exist or be empty)')
    .option('--aws-region <region>', 'AWS region of the receipt bucket (default: the SDK chain)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .option('--json', 'print one JSON object instead of text')
    .action(
      returnsExitCode(async (flags: PlanFlags) => {
        const location = usage(() => ({
          executionId: parseExecutionId('execution-id', flags.executionId),
          bucket: parseBucketName('receipt-bucket', flags.receiptBucket),
          prefix: parseKeyPrefix('receipt-prefix', flags.receiptPrefix),
        }));
        const aws = usage(() => awsFromFlags(flags));
        await checkExpectedAccount(aws, flags);
        const result = await writePlanBundle(new S3ReceiptStore(aws.s3, location), flags.out).catch(
          (error) => {
            throw error instanceof PlanBundleRefused ? new CliError(error.message, EXIT.usage) : error;
          },
        );
        if (flags.json) term.out(JSON.stringify(result, null, 2));
        else
          term.out(
            `Plan bundle of ${location.executionId} written to ${flags.out} (${result.files.length} files)${result.missing.length ? `; no receipt for: ${result.missing.join(', ')}` : ''}`,
          );
        return result.missing.length > 0 ? EXIT.attention : EXIT.ok;
      }),
    );
}
