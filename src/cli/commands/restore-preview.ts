import { Command } from 'commander';
import { parseBackupUri } from '../../backup/layout.js';
import { parseRestorePath, parseStorageClass, STATE_BASE } from '../../phases/restore/inputs.js';
import { buildRestorePreview } from '../../preview/build.js';
import { lastVerifiedRestore } from '../../preview/last-restore.js';
import { PreviewError } from '../../preview/manifest-archive.js';
import { renderRestorePreview } from '../../preview/render.js';
import { parseTargetKind } from '../../targets/target.js';
import { parseDnsLabel } from '../../validation/dns1123.js';
import { InputError } from '../../validation/errors.js';
import { parseNumber } from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import { parseReceiptFolder } from '../receipt-folder.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';
import { usage } from './nested.js';

interface PreviewFlags extends AwsFlags {
  backupUri: string;
  namespace: string;
  stateClaim: string;
  restorePath?: string;
  targetKind: string;
  storageClass: string;
  executionId?: string;
  receiptBucket?: string;
  receiptPrefix: string;
  maxDrills: string;
  json?: boolean;
}

export function restorePreviewCommand(term: Terminal): Command {
  return new Command('restore-preview')
    .description(
      'List every object a restore of the backup would apply (held workloads, images, the state claim), computed by the restore’s own plan (restore-plan.jq) from the backup’s manifests alone, and diff it against the last verified restore.',
    )
    .requiredOption('--backup-uri <uri>', 'the backup: s3://<bucket>/[<prefix>/]backups/<backup_id>')
    .requiredOption('--namespace <name>', 'application namespace (the restore phase’s namespace input)')
    .requiredOption('--state-claim <name>', 'the PersistentVolumeClaim the workloads mount the state from')
    .option(
      '--restore-path <path>',
      `state directory on the runner (default ${STATE_BASE}/volumes/<namespace>/<state-claim>)`,
    )
    .option('--target-kind <kind>', 'k3s or eks (the restore’s target-kind)', 'k3s')
    .option('--storage-class <name>', 'eks: the storage class of the state claim’s new volume', 'gp3')
    .option('--execution-id <id>', 'eks: the execution whose node group the workloads are pinned to')
    .option(
      '--receipt-bucket <bucket>',
      'diff against the last verified drill whose receipts are in this bucket',
    )
    .option('--receipt-prefix <prefix>', 'receipt key prefix', 'standby/receipts')
    .option('--max-drills <n>', 'how many of the newest drills to check for the last verified restore', '5')
    .option('--aws-region <region>', 'AWS region of the buckets (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nNeeds the jq binary on PATH (the restore plan is a jq program; GitHub-hosted Ubuntu runners have it).\n\nExamples:\n  $ standby restore-preview --backup-uri s3://acme-dr/batch/backups/bk-20261122 --namespace jobintel --state-claim jobintel-state\n  $ standby restore-preview --backup-uri s3://acme-dr/batch/backups/bk-20261122 --namespace jobintel --state-claim jobintel-state --receipt-bucket acme-dr-receipts --json\n',
    )
    .action(returnsExitCode((flags: PreviewFlags) => preview(term, flags)));
}

async function preview(term: Terminal, flags: PreviewFlags): Promise<number> {
  const progress = (line: string) => term.err(paint(term, 'dim', line));
  // Every flag is checked before the first AWS call.
  const { backup, target, folder, maxDrills } = usage(() => {
    const namespace = parseDnsLabel('namespace', flags.namespace);
    const claim = parseDnsLabel('state-claim', flags.stateClaim);
    return {
      backup: parseBackupUri('backup-uri', flags.backupUri),
      target: {
        namespace,
        claim,
        restorePath: parseRestorePath(flags.restorePath ?? `${STATE_BASE}/volumes/${namespace}/${claim}`),
        ...(parseTargetKind('--target-kind', flags.targetKind) === 'eks'
          ? {
              eks: {
                storageClass: parseStorageClass(flags.storageClass),
                execution: eksExecution(flags.executionId),
              },
            }
          : {}),
      },
      folder: flags.receiptBucket ? parseReceiptFolder(flags) : undefined,
      maxDrills: parseNumber('--max-drills', flags.maxDrills, { min: 1, max: 50, integer: true }),
    };
  });
  const aws = awsFromFlags(flags);
  await checkExpectedAccount(aws, flags);
  const previous = folder
    ? (await lastVerifiedRestore(aws.s3, folder, { maxDrills, progress })).previous
    : undefined;
  if (folder && !previous) progress(`no verified drill with a restore report among the newest ${maxDrills}`);
  let result: Awaited<ReturnType<typeof buildRestorePreview>>;
  try {
    result = await buildRestorePreview(aws.s3, backup, target, previous);
  } catch (error) {
    if (error instanceof PreviewError) throw new CliError(`restore-preview: ${error.message}`, EXIT.failed);
    throw error;
  }
  term.out(flags.json ? JSON.stringify(result, null, 2) : markdownToText(renderRestorePreview(result), term));
  // The restore would refuse this backup: the same answer it would give on the runner, before any spend.
  return 'error' in result.plan ? EXIT.attention : EXIT.ok;
}

/** The execution an eks preview pins to: its id is the node group's label value (63 characters at most). */
function eksExecution(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(value))
    throw new InputError(
      '--execution-id',
      'is required with --target-kind eks and must be a Kubernetes label value (the node group’s standby.dev/execution)',
    );
  return value;
}
