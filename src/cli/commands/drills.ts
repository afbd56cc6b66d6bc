import { Command } from 'commander';
import { recordedCostCell } from '../../cost/recorded.js';
import { listExecutions, type ReceiptFolder, readExecutionEvidence } from '../../operator/drill-evidence.js';
import { type ExecutionRow, executionRow, newestFirst } from '../../operator/execution-history.js';
import { rtoTrendMermaid, rtoTrendText } from '../../operator/rto-trend.js';
import { describeError } from '../../util/errors.js';
import { markdownTable } from '../../util/markdown.js';
import { formatDuration } from '../../util/time.js';
import { parseNumber } from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import { parseReceiptFolder } from '../receipt-folder.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';
import { usage } from './nested.js';

interface DrillsFlags extends AwsFlags {
  receiptBucket: string;
  receiptPrefix: string;
  limit: string;
  json?: boolean;
  markdown?: boolean;
}

/** `standby drills`: recent executions with RTO, RPO and verdict, and the RTO trend against the budget. */
export function drillsCommand(term: Terminal): Command {
  return new Command('drills')
    .description(
      'Recent DR executions (drills and real DR runs), newest first, with RTO, RPO and verdict (evidence check), and the RTO trend against the recovery-time budget as a chart.',
    )
    .requiredOption('--receipt-bucket <bucket>', 'bucket holding the receipts (STANDBY_RECEIPT_BUCKET)')
    .option('--receipt-prefix <prefix>', 'receipt key prefix', 'standby/receipts')
    .option('--limit <n>', 'how many of the newest executions to read (1-50)', '10')
    .option('--json', 'print one JSON object')
    .option('--markdown', 'print Markdown with the trend as a Mermaid chart (for a job summary)')
    .option('--aws-region <region>', 'AWS region of the receipt bucket (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .addHelpText(
      'after',
      '\nExamples:\n  $ standby drills --receipt-bucket acme-dr-receipts\n  $ standby drills --receipt-bucket acme-dr-receipts --limit 20 --json\n  $ standby drills --receipt-bucket acme-dr-receipts --markdown >> "$GITHUB_STEP_SUMMARY"\n\nExit codes: 0 executions listed; 3 no execution under the prefix; 2 bad flags; 1 an AWS error.\n',
    )
    .action(returnsExitCode((flags: DrillsFlags) => run(term, flags)));
}

async function run(term: Terminal, flags: DrillsFlags): Promise<number> {
  const folder: ReceiptFolder = usage(() => parseReceiptFolder(flags));
  const limit = usage(() => parseNumber('--limit', flags.limit, { min: 1, max: 50, integer: true }));
  if (flags.json && flags.markdown)
    throw new CliError('--json and --markdown exclude each other', EXIT.usage);
  const aws = awsFromFlags(flags);
  await checkExpectedAccount(aws, flags);
  const rows: ExecutionRow[] = [];
  try {
    const ids = (await listExecutions(aws.s3, folder)).slice(0, limit);
    for (const id of ids) {
      term.err(paint(term, 'dim', `checking the evidence of ${id}`));
      const { check, receipts } = await readExecutionEvidence(aws.s3, folder, id);
      rows.push(executionRow(check, receipts));
    }
  } catch (error) {
    throw new CliError(`cannot read the executions: ${describeError(error)}`, EXIT.failed);
  }
  const sorted = newestFirst(rows);
  if (flags.json) term.out(JSON.stringify({ executions: sorted.map(jsonRow) }, null, 2));
  else if (flags.markdown) term.out(renderMarkdown(sorted));
  else if (sorted.length > 0) {
    const over = (late: boolean, text: string) => paint(term, late ? 'red' : 'green', text);
    term.out([markdownToText(table(sorted), term), '', ...rtoTrendText(sorted, over)].join('\n'));
  }
  if (sorted.length === 0)
    term.err(
      `no DR execution under s3://${folder.bucket}/${folder.prefix}: run a drill (gh workflow run drill.yml)`,
    );
  return sorted.length > 0 ? EXIT.ok : EXIT.attention;
}

const duration = (seconds?: number) => (seconds === undefined ? '—' : formatDuration(seconds));

/** One row per execution; the cost is the one its report receipt recorded (never recomputed at today's prices). */
function table(rows: ExecutionRow[]): string {
  return markdownTable(
    ['Execution', 'Kind', 'Started (UTC)', 'RTO', 'Budget', 'RPO', 'Cost', 'Verdict'],
    rows.map((r) => [
      r.executionId,
      r.kind,
      r.startedAt ?? '—',
      duration(r.rtoSeconds),
      formatDuration(r.budgetSeconds),
      r.rpoHours === undefined ? '—' : `${r.rpoHours} h`,
      recordedCostCell(r.cost),
      r.why.length > 0 ? `${r.verdict} (${r.why.join(', ')})` : r.verdict,
    ]),
  );
}

export function renderMarkdown(rows: ExecutionRow[]): string {
  const lines = ['## Recent DR executions', ''];
  if (rows.length === 0) return [...lines, 'No DR execution has receipts yet.'].join('\n');
  lines.push(table(rows), '', '### RTO trend against the recovery-time budget', '');
  const chart = rtoTrendMermaid(rows);
  if (chart)
    lines.push(
      'Bars: RTO of each execution, oldest first; line: its recovery-time budget.',
      '',
      '```mermaid',
      chart,
      '```',
    );
  else lines.push('No execution reached approval-ready: there is no RTO to draw.');
  return lines.join('\n');
}

const jsonRow = (r: ExecutionRow) => ({
  execution_id: r.executionId,
  kind: r.kind,
  started_at: r.startedAt ?? null,
  ended_at: r.endedAt ?? null,
  rto_seconds: r.rtoSeconds ?? null,
  rpo_hours: r.rpoHours ?? null,
  budget_seconds: r.budgetSeconds,
  verdict: r.verdict,
  why: r.why,
  cost: r.cost ?? null,
});
