import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { drillCost } from '../../cost/drill-cost.js';
import type { DrillCost } from '../../cost/estimate.js';
import { loadPriceTable } from '../../cost/load.js';
import { readBundleDir } from '../../evidence/bundle-files.js';
import { parseBundledReceipts } from '../../evidence/bundled-receipts.js';
import type { CheckReport } from '../../evidence/check.js';
import { renderRunReport } from '../../evidence/run-report.js';
import { buildTimeline } from '../../evidence/timeline.js';
import type { Receipt } from '../../receipts/envelope.js';
import { markdownTable } from '../../util/markdown.js';
import { CliError, EXIT } from '../exit-codes.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';
import { nestedCommand } from './nested.js';

interface ReportFlags {
  executionId?: string;
  trigger?: string;
  triggeredAt?: string;
  jobResults?: string;
  out?: string;
  priceTable?: string;
}

/**
 * `standby evidence report <dir>`: the run's report as Markdown, with its timeline as a Mermaid gantt
 * chart: what the pipeline's report job writes to the job summary. A missing or empty bundle still gives
 * a report (saying no receipts were found), so a run whose collection failed still reports.
 */
export function reportCommand(term: Terminal): Command {
  return nestedCommand('report', term, [
    'standby evidence report evidence/drill-123456 --out drill-123456.md',
    'standby evidence report evidence --trigger alarm --triggered-at 2026-11-22T01:00:00Z >> "$GITHUB_STEP_SUMMARY"',
  ])
    .description(
      "Write a run's report (RTO against the recovery budget, RPO, its timeline as a Mermaid gantt chart, its cost) from its bundle.",
    )
    .argument('<dir>', 'bundle directory made by `standby evidence collect` (or `drill --local`)')
    .option('--execution-id <id>', "execution id to name (default: the receipts' own)")
    .option('--trigger <what>', 'what started the run: drill, alarm, schedule')
    .option('--triggered-at <time>', 'when DR was triggered (ISO-8601); default the first receipt')
    .option('--job-results <json>', 'toJSON(needs) of the report job, for the jobs table')
    .option(
      '--price-table <file>',
      'price the cost with this table (shaped like src/cost/prices.json) instead of the pinned one',
    )
    .option('--out <file>', 'write the report to this file instead of standard output')
    .action(async (dir: string, flags: ReportFlags) => {
      if (flags.triggeredAt && !Number.isFinite(Date.parse(flags.triggeredAt)))
        throw new CliError(`--triggered-at '${flags.triggeredAt}' is not an ISO-8601 time`, EXIT.usage);
      const jobResults = parseJobResults(flags.jobResults);
      const files = await readBundleDir(dir).catch(() => []);
      const { receipts } = parseBundledReceipts(files);
      const executionId = flags.executionId || receipts[0]?.receipt.execution_id || 'unknown';
      const timeline = buildTimeline(
        executionId,
        receipts.map((r) => ({ receipt: r.receipt, file: r.name })),
        { triggeredAt: flags.triggeredAt },
      );
      const cost = await reportCost(
        receipts.map((r) => r.receipt),
        flags.priceTable,
      );
      const markdown = renderRunReport(timeline, { trigger: flags.trigger, jobResults, cost });
      if (flags.out) {
        await writeFile(flags.out, markdown);
        term.err(`wrote ${flags.out} (${receipts.length} receipts)`);
      } else term.out(markdown.trimEnd());
    });
}

/**
 * The run's cost from the bundle's receipts; the runner's window ends at the last receipt when no teardown
 * ran (a bundle is read after the fact). None without receipts.
 */
async function reportCost(receipts: Receipt[], priceTable?: string): Promise<DrillCost | undefined> {
  if (receipts.length === 0) return undefined;
  let chosen: Awaited<ReturnType<typeof loadPriceTable>>;
  try {
    chosen = await loadPriceTable(priceTable);
  } catch (error) {
    throw new CliError(`--price-table: ${(error as Error).message}`, EXIT.usage);
  }
  const last = Math.max(...receipts.map((r) => Date.parse(r.ended_at)));
  return drillCost(receipts, new Date(last), chosen);
}

function parseJobResults(raw?: string): Record<string, { result: string }> {
  if (!raw?.trim()) return {};
  try {
    const parsed = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw new CliError('--job-results must be the JSON object of the needs context', EXIT.usage);
}

/** The human form of an evidence check: verdict first, then what ran, every phase, every problem and note. */
export function renderCheckReport(report: CheckReport, dir: string, term: Terminal): string {
  const verdict = report.verified
    ? paint(term, 'green', `VERIFIED: ${dir} (execution ${report.executionId})`)
    : paint(term, 'red', `NOT VERIFIED: ${dir} — ${report.problems.length} problem(s)`);
  const rows = report.phases.map((p) => [
    p.phase,
    p.outcome,
    p.attempt ? String(p.attempt) : '',
    p.path ?? '',
    p.path && report.versions.counts[p.path] !== undefined ? String(report.versions.counts[p.path]) : '',
  ]);
  const parts = [
    verdict,
    '',
    `Run: ${report.run.label}${report.run.expectedRun ? ` — GitHub Actions run ${report.run.expectedRun.runId} (from the ${report.run.expectedRun.decidedBy})` : ''}`,
    '',
    markdownToText(markdownTable(['Phase', 'Outcome', 'Attempt', 'Receipt', 'S3 versions'], rows), term),
    '',
    ...provenanceLines(report),
  ];
  if (report.emulator.endpoints.length > 0) {
    parts.push(
      '',
      `Emulator bundle (${report.emulator.endpoints.join(', ')}): ${report.emulator.accepted ? 'accepted as a rehearsal, not as evidence of a real run' : 'refused'}`,
    );
  }
  const t = report.alarm.transition;
  parts.push(
    '',
    t
      ? `Alarm: ${t.alarmName} went OK→ALARM at ${t.alarmAt} and back to OK at ${t.okAt}`
      : `Alarm: no qualifying OK→ALARM→OK (${report.alarm.changes} state change(s) read; ${report.alarm.required ? 'required' : 'not required'} for this run)`,
  );
  if (report.problems.length > 0) {
    parts.push(
      '',
      paint(term, 'bold', 'Problems:'),
      ...report.problems.map((p) => `  ${paint(term, 'red', '✗')} [${p.code}] ${p.message}`),
    );
  }
  if (report.notes.length > 0) {
    parts.push('', paint(term, 'bold', 'Notes:'), ...report.notes.map((n) => `  - [${n.code}] ${n.message}`));
  }
  return parts.join('\n');
}

function provenanceLines(report: CheckReport): string[] {
  const head = report.chain.head;
  const lines = [
    head
      ? `Chain head: ${head.name} sha256 ${head.sha256} (${report.chain.count} receipts)`
      : 'Chain head: none (no receipts)',
    report.anchor
      ? `Anchor (${report.anchor.from}): ${report.anchor.anchored ? 'the chain reaches' : 'the chain does NOT reach'} sha256 ${report.anchor.head}${report.anchor.count ? ` at ${report.anchor.count} receipts` : ''}`
      : 'Anchor: none given (pass --expect-head or --attestation from the run to detect removed or rewritten receipts)',
    `S3 versioning of the receipts: ${report.versions.status}`,
  ];
  return lines;
}
