import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { AwsClients } from '../../aws/clients.js';
import { getPendingDeployments, reviewPendingDeployments } from '../../github/deployments.js';
import { parseRunId } from '../../github/repository.js';
import { getWorkflowRun } from '../../github/runs.js';
import { executionIdForRun } from '../../operator/execution-id.js';
import { type Decision, planReview, ReviewRefused } from '../../operator/review-plan.js';
import { loadReviewerSummary } from '../../operator/reviewer-summary.js';
import { renderReviewerSummary } from '../../phases/request-approval/render.js';
import { S3ReceiptStore } from '../../receipts/store.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseExecutionId } from '../../validation/primitives.js';
import { CliError, EXIT } from '../exit-codes.js';
import { githubAccess } from '../github-access.js';
import { parseReceiptFolder } from '../receipt-folder.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';

interface ReviewFlags {
  run: string;
  ticket: string;
  comment?: string;
  environment: string;
  repo?: string;
  apiUrl?: string;
  receiptBucket?: string;
  receiptPrefix: string;
  executionId?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** `standby approve` and `standby reject`: the same review, with the decision fixed by the command. */
export function reviewCommand(term: Terminal, state: Decision): Command {
  const verb = state === 'approved' ? 'approve' : 'reject';
  return new Command(verb)
    .description(
      `${verb[0]?.toUpperCase()}${verb.slice(1)} the promotion gate of a DR run, after showing the reviewer summary.`,
    )
    .requiredOption('--run <id>', 'workflow run id waiting at the gate (see `standby status`)')
    .requiredOption('--ticket <id>', 'change or incident ticket; carried in the review comment')
    .option('--comment <text>', 'more words for the review comment')
    .option('--environment <name>', 'protected environment of the gate', 'dr-promotion')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API URL (default: GITHUB_API_URL or https://api.github.com)')
    .option('--receipt-bucket <bucket>', 'receipt bucket, to show the reviewer summary recorded for the run')
    .option('--receipt-prefix <prefix>', 'receipt key prefix', 'standby/receipts')
    .option(
      '--execution-id <id>',
      'execution id of the run’s receipts (default: from the run’s workflow, e.g. drill-<run id>)',
    )
    .option('--dry-run', 'show everything, send nothing')
    .option('--yes', 'do not ask for confirmation (non-interactive use)')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `\nExamples:\n  $ GH_TOKEN=$(gh auth token) standby ${verb} --repo acme/batch-dr --run 123456789 --ticket CHG-1234 --receipt-bucket acme-dr-receipts --dry-run\n  $ standby ${verb} --repo acme/batch-dr --run 123456789 --ticket CHG-1234 --comment "restored data checked" --yes\n`,
    )
    .action((flags: ReviewFlags) => review(term, state, verb, flags));
}

/** Every flag is checked before the first GitHub call: a typo never costs an API request. */
function checkReviewFlags(flags: ReviewFlags) {
  const runId = parseRunId('--run', flags.run);
  if (!/^[A-Za-z0-9][A-Za-z0-9._#:/-]{0,63}$/.test(flags.ticket))
    throw new InputError(
      '--ticket',
      `${quoted(flags.ticket)} is not a ticket id (letters, digits, . _ # : / -)`,
    );
  const receiptPlace = flags.receiptBucket ? parseReceiptFolder(flags) : undefined;
  if (flags.executionId !== undefined) parseExecutionId('--execution-id', flags.executionId);
  return { runId, receiptPlace };
}

async function review(term: Terminal, state: Decision, verb: string, flags: ReviewFlags): Promise<void> {
  const progress = (line: string) => term.err(paint(term, 'dim', line));
  const { runId, receiptPlace } = checkReviewFlags(flags);
  const { client, repository } = githubAccess(flags, progress);
  // The run's workflow decides its execution id (drill-<id>, alarm-<id>, dr-<id>) unless given.
  const executionIdFor = async (f: ReviewFlags, id: number) =>
    f.executionId ?? executionIdForRun(await getWorkflowRun(client, repository, id));

  const reviewer = receiptPlace
    ? await reviewerSummary(receiptPlace, await executionIdFor(flags, runId))
    : {};
  if (!flags.json) {
    term.out(
      reviewer.summary
        ? markdownToText(renderReviewerSummary(reviewer.summary), term)
        : 'No reviewer summary shown: pass --receipt-bucket to read the one recorded for this run.',
    );
  }

  const pending = await getPendingDeployments(client, repository, runId);
  let plan: ReturnType<typeof planReview>;
  try {
    plan = planReview(pending, {
      environment: flags.environment,
      state,
      ticket: flags.ticket,
      note: flags.comment,
      runId,
    });
  } catch (error) {
    if (error instanceof ReviewRefused) throw new CliError(error.message, EXIT.failed);
    throw error;
  }
  const request = { environment_ids: [plan.environmentId], state: plan.state, comment: plan.comment };
  const report = {
    run_id: runId,
    environment: plan.environment,
    request,
    sent: false,
    dry_run: Boolean(flags.dryRun),
    reviewer_summary: reviewer.summary ?? null,
    summary_receipt: reviewer.receiptUri ?? null,
  };

  if (flags.dryRun) {
    if (flags.json) term.out(JSON.stringify(report, null, 2));
    else
      term.out(
        `\nDry run: would POST pending_deployments for run ${runId}: ${JSON.stringify(request)}. Nothing sent.`,
      );
    return;
  }
  if (!flags.yes) await confirm(term, `${verb} run ${runId} at ${quoted(plan.environment)}`, String(runId));
  await reviewPendingDeployments(client, repository, runId, {
    environmentIds: [plan.environmentId],
    state: plan.state,
    comment: plan.comment,
  });
  if (flags.json) term.out(JSON.stringify({ ...report, sent: true }, null, 2));
  else
    term.out(
      paint(
        term,
        'green',
        `\n${plan.state === 'approved' ? 'Approved' : 'Rejected'}: run ${runId}, environment ${plan.environment}. The promote job records the decision.`,
      ),
    );
}

async function reviewerSummary(place: { bucket: string; prefix: string }, executionId: string) {
  const store = new S3ReceiptStore(new AwsClients().s3, {
    ...place,
    executionId: parseExecutionId('--execution-id', executionId),
  });
  return loadReviewerSummary(store);
}

/** Asks the operator to type the run id back; refuses when there is no terminal to ask on. */
async function confirm(term: Terminal, action: string, expected: string): Promise<void> {
  if (!process.stdin.isTTY)
    throw new CliError(
      'not a terminal: add --yes to confirm non-interactively (or --dry-run to look first)',
      EXIT.usage,
    );
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`To ${action}, type the run id (${expected}): `);
    if (answer.trim() !== expected)
      throw new CliError('confirmation did not match: nothing was sent', EXIT.usage);
  } finally {
    prompt.close();
  }
  term.err('confirmed');
}
