import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Command } from 'commander';
import type { AwsClients } from '../../aws/clients.js';
import type { GitHubClient } from '../../github/client.js';
import { getPendingDeployments } from '../../github/deployments.js';
import { parseRunId, type RepositoryRef } from '../../github/repository.js';
import { getWorkflowRun, listRunJobs, listWorkflowRuns } from '../../github/runs.js';
import { type RtoProgress, rtoProgress } from '../../operator/rto-progress.js';
import { type RunStatus, summarizeRun } from '../../operator/run-status.js';
import { S3ReceiptStore } from '../../receipts/store.js';
import { targetReceiptPrefix } from '../../targets/receipts.js';
import { parseTargetName } from '../../targets/target.js';
import { markdownTable } from '../../util/markdown.js';
import { formatDuration } from '../../util/time.js';
import { InputError } from '../../validation/errors.js';
import { parseNumber } from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import { githubAccess } from '../github-access.js';
import { parseReceiptFolder } from '../receipt-folder.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';
import { repeatable, usage } from './nested.js';
import { renderTargetRows, targetRows, targetsNeedAttention, targetsToShow } from './status-targets.js';

interface StatusFlags extends AwsFlags {
  run?: string;
  repo?: string;
  apiUrl?: string;
  workflow: string[];
  receiptBucket?: string;
  receiptPrefix: string;
  stateMachineArn?: string;
  json?: boolean;
  targets?: boolean;
  target?: string[];
  maxDrills: string;
}

export function statusCommand(term: Terminal): Command {
  return new Command('status')
    .description(
      'Where the latest (or a given) DR run stands: current phase, failure, pending approval, receipts.',
    )
    .option('--run <id>', 'workflow run id (default: the newest run of the DR workflows)')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL or https://api.github.com)')
    .option('--workflow <file...>', 'workflows whose runs are DR runs', [
      'drill.yml',
      'alarm.yml',
      'freshness.yml',
    ])
    .option('--receipt-bucket <bucket>', 'also read the run’s receipts (failure reason, receipt location)')
    .option('--receipt-prefix <prefix>', 'receipt key prefix', 'standby/receipts')
    .option('--state-machine-arn <arn>', 'also list the alarm bridge’s recent Step Functions executions')
    .option('--aws-region <region>', 'AWS region of the receipts and the bridge (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .option('--json', 'print one JSON object')
    .option(
      '--targets',
      "one table of every target: health, last verified drill, open executions (needs --receipt-bucket; the targets are the repository's STANDBY_TARGETS, or --target)",
    )
    .option(
      '--target <name>',
      "the run's target (its execution id and receipts folder; default `default`); with --targets, a target to show (repeat for several)",
      repeatable,
    )
    .option('--max-drills <n>', 'with --targets: how many of the newest drills per target to read', '5')
    .addHelpText(
      'after',
      '\nExamples:\n  $ GH_TOKEN=$(gh auth token) standby status --repo acme/batch-dr\n  $ standby status --repo acme/batch-dr --run 123456789 --receipt-bucket acme-dr-receipts --json\n  $ standby status --repo acme/batch-dr --targets --receipt-bucket acme-dr-receipts\n',
    )
    .action(returnsExitCode((flags: StatusFlags) => runStatus(term, flags)));
}

/** One run's status: every flag checked first, then GitHub, the receipts and the bridge. */
async function runStatus(term: Terminal, flags: StatusFlags): Promise<number> {
  const progress = (line: string) => term.err(paint(term, 'dim', line));
  if (flags.targets) return targetsStatus(term, flags, progress);
  // Every flag is checked before the first GitHub call: a typo costs no API request and no wait.
  // One run is one target's: --target names it (default `default`), for its execution id and folder.
  const target = usage(() => runTarget(flags.target));
  const receiptPlace = flags.receiptBucket ? receiptLocation(flags, target) : undefined;
  const givenRun = flags.run === undefined ? undefined : parseRunId('--run', flags.run);
  const aws = awsFromFlags(flags);
  const { client, repository } = githubAccess(flags, progress);
  // The account is checked before anything is read, GitHub included: a wrong account reads nothing.
  await checkExpectedAccount(aws, flags);
  const runId = givenRun ?? (await newestRunId(client, repository, flags.workflow, progress));
  const [run, jobs, pending] = await Promise.all([
    getWorkflowRun(client, repository, runId),
    listRunJobs(client, repository, runId),
    getPendingDeployments(client, repository, runId),
  ]);
  const status = summarizeRun(run, jobs, pending, target);
  const receipts = receiptPlace ? await receiptFacts(aws, receiptPlace, status.execution_id) : undefined;
  const bridge = flags.stateMachineArn ? await bridgeExecutions(aws, flags.stateMachineArn) : undefined;
  const rto = rtoProgress({
    runStartedAt: status.started_at,
    jobs,
    receipts: receipts?.files,
    now: new Date(),
  });

  if (flags.json) {
    const { files: _, ...facts } = receipts ?? { files: [] };
    term.out(
      JSON.stringify({ ...status, rto, receipts: receipts ? facts : null, bridge: bridge ?? null }, null, 2),
    );
  } else term.out(markdownToText(render(status, rto, receipts, bridge), term));
  return status.failed_phases.length > 0 || status.waiting_for_approval.length > 0 ? EXIT.attention : EXIT.ok;
}

/** `status --targets`: one row per target (src/cli/commands/status-targets.ts). */
async function targetsStatus(term: Terminal, flags: StatusFlags, progress: (line: string) => void) {
  if (!flags.receiptBucket)
    throw new CliError('--targets reads the receipts: pass --receipt-bucket', EXIT.usage);
  const folder = receiptLocation(flags);
  const maxDrills = usage(() =>
    parseNumber('--max-drills', flags.maxDrills, { min: 1, max: 50, integer: true }),
  );
  const aws = awsFromFlags(flags);
  const github = githubAccess(flags, progress);
  await checkExpectedAccount(aws, flags);
  const targets = await targetsToShow(flags.target, github);
  const rows = await targetRows(
    aws,
    github,
    { bucket: folder.bucket, basePrefix: folder.prefix, targets, maxDrills, now: new Date() },
    progress,
  );
  if (flags.json) term.out(JSON.stringify({ targets: rows }, null, 2));
  else term.out(markdownToText(renderTargetRows(rows), term));
  return targetsNeedAttention(rows) ? EXIT.attention : EXIT.ok;
}

/** The newest run of any of the DR workflows: what `status` shows when no --run is given. */
async function newestRunId(
  client: GitHubClient,
  repository: RepositoryRef,
  workflows: string[],
  say: (line: string) => void,
): Promise<number> {
  say(`looking for the newest run of ${workflows.join(', ')} in ${repository.owner}/${repository.repo}`);
  const runs = (
    await Promise.all(workflows.map((w) => listWorkflowRuns(client, repository, w, { perPage: 1 })))
  ).flat();
  const newest = runs.sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  if (!newest)
    throw new CliError(
      `no runs of ${workflows.join(', ')} yet: start a drill with \`gh workflow run drill.yml\``,
    );
  return newest.id;
}

function receiptLocation(flags: StatusFlags, target = 'default'): { bucket: string; prefix: string } {
  const folder = parseReceiptFolder(flags);
  return { ...folder, prefix: targetReceiptPrefix(folder.prefix, target) };
}

/** The target of the run shown: one --target at most (several are --targets' table). */
function runTarget(named: string[] | undefined): string {
  if ((named?.length ?? 0) > 1)
    throw new InputError('--target', 'names one target for a run (show several with --targets)');
  return parseTargetName('--target', named?.[0] ?? '');
}

async function receiptFacts(
  aws: AwsClients,
  { bucket, prefix }: { bucket: string; prefix: string },
  executionId: string,
) {
  const store = new S3ReceiptStore(aws.s3, { bucket, prefix, executionId });
  const listed = await store.list();
  const failures = listed.filter((r) => r.receipt?.status === 'failed');
  return {
    location: `s3://${bucket}/${prefix ? `${prefix}/` : ''}${executionId}/`,
    count: listed.length,
    failure: failures.at(-1)?.receipt?.error ?? null,
    failed_phase: failures.at(-1)?.receipt?.phase ?? null,
    serving: servingFact(listed),
    files: listed.flatMap((r) => (r.receipt ? [{ receipt: r.receipt, file: r.key.split('/').pop() }] : [])),
  };
}

/**
 * The standby this execution left serving (issue 20.2): the newest ok activate receipt that says so.
 * Only an approved teardown ends it, which the status says.
 */
function servingFact(listed: Awaited<ReturnType<S3ReceiptStore['list']>>) {
  const activation = listed
    .flatMap((r) => (r.receipt?.phase === 'activate' && r.receipt.status === 'ok' ? [r.receipt] : []))
    .at(-1);
  if (activation?.outputs.serving !== true) return null;
  const report = activation.outputs.report as { serving?: { expiry_timer?: string } } | undefined;
  return {
    since: activation.ended_at,
    approved_by: activation.outputs['approved-by'] ?? null,
    expiry_timer: report?.serving?.expiry_timer ?? null,
  };
}

async function bridgeExecutions(aws: AwsClients, stateMachineArn: string) {
  const sfn = aws.client('sfn', (c) => new SFNClient(c));
  const answer = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 5 }));
  return (answer.executions ?? []).map((e) => ({
    name: e.name,
    status: e.status,
    started: e.startDate?.toISOString() ?? null,
  }));
}

/** RTO so far against the recovery-time budget (docs/benchmarks.md). */
export function describeRto(rto: RtoProgress): string {
  const ratio = rto.floorSeconds > 0 ? `, ${(rto.seconds / rto.floorSeconds).toFixed(1)}x` : '';
  const floor = `floor ${formatDuration(rto.floorSeconds)}${ratio}`;
  const soFar =
    rto.floorSoFarSeconds !== undefined && !rto.reached
      ? `; the phases done so far have a floor of ${formatDuration(rto.floorSoFarSeconds)}`
      : '';
  const from = rto.basis === 'receipts' ? 'trigger' : 'run start';
  return rto.reached
    ? `${formatDuration(rto.seconds)} (${from} → approval-ready; ${floor})`
    : `${formatDuration(rto.seconds)} so far (${from} → now, not approval-ready yet; ${floor}${soFar})`;
}

function render(
  status: RunStatus,
  rto: RtoProgress,
  receipts?: Awaited<ReturnType<typeof receiptFacts>>,
  bridge?: Awaited<ReturnType<typeof bridgeExecutions>>,
): string {
  const rows = [
    ['Run', `${status.run_id} (${status.workflow ?? '?'}, ${status.event})`],
    ['State', `${status.status ?? '?'}${status.conclusion ? ` / ${status.conclusion}` : ''}`],
    ['Current phase', status.current_phase ?? '—'],
    ['RTO', describeRto(rto)],
    ['Failed', status.failed_phases.join(', ') || '—'],
    [
      'Waiting for approval',
      status.waiting_for_approval
        .map((w) => `${w.environment}${w.you_can_approve ? ' (you can approve)' : ''}`)
        .join(', ') || '—',
    ],
    [
      'Receipts',
      receipts
        ? `${receipts.location} (${receipts.count})`
        : `pass --receipt-bucket to read s3://…/${status.execution_id}/`,
    ],
  ];
  if (receipts?.failure)
    rows.push(['Failure reason', `${receipts.failed_phase}: ${receipts.failure.message}`]);
  if (receipts?.serving)
    rows.push([
      'Standby',
      `**serving** since ${receipts.serving.since} (approved by ${receipts.serving.approved_by ?? '?'}): no expiry, never swept; only teardown.yml with a second person's approval ends it`,
    ]);
  const lines = [`## DR run ${status.run_id}`, '', markdownTable(['', ''], rows), '', status.html_url];
  if (bridge)
    lines.push(
      '',
      '## Alarm bridge (latest executions)',
      '',
      markdownTable(
        ['Execution', 'Status', 'Started'],
        bridge.map((e) => [e.name ?? '', e.status ?? '', e.started ?? '']),
      ),
    );
  if (status.waiting_for_approval.length > 0)
    lines.push('', `Next: standby approve --run ${status.run_id} --ticket <ticket>  (or standby reject …)`);
  return lines.join('\n');
}
