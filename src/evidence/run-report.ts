import type { DrillCost } from '../cost/estimate.js';
import { renderCost } from '../cost/render.js';
import { markdownTable } from '../util/markdown.js';
import { formatDuration } from '../util/time.js';
import { ganttChart } from './gantt.js';
import type { RunTimeline } from './timeline.js';

/**
 * The final summary of a DR run (the report job's job summary, and `standby evidence report`): RTO against
 * the recovery-time budget, RPO, the run drawn as a Mermaid gantt chart, one row per receipt with its
 * floor, and how every job ended.
 */
export interface RunReportOptions {
  trigger?: string;
  /** toJSON(needs) of the report job: each job's result. */
  jobResults?: Record<string, { result: string }>;
  /** The execution's cost (src/cost), shown under its own heading. */
  cost?: DrillCost;
}

const ICON: Record<string, string> = {
  ok: '✅',
  failed: '❌',
  skipped: '⏭️',
  success: '✅',
  failure: '❌',
  cancelled: '🚫',
};
/** A table cell: '—' for a missing value (markdownTable escapes the rest). */
const cell = (value: unknown) => String(value ?? '—');
const iso = (date?: Date) => (date ? date.toISOString() : 'unknown');

export function renderRunReport(timeline: RunTimeline, options: RunReportOptions = {}): string {
  const { budget } = timeline;
  const rto =
    timeline.rtoSeconds === undefined
      ? 'not reached'
      : `${formatDuration(timeline.rtoSeconds)} (floor ${formatDuration(budget.totalSeconds)}, ${ratio(timeline.rtoSeconds, budget.totalSeconds)})`;
  const measures = [
    ['RTO (trigger → approval-ready)', rto],
    ['RPO (backup age at restore)', timeline.rpoHours === undefined ? 'unknown' : `${timeline.rpoHours} h`],
    [
      timeline.triggerGiven ? 'Trigger time (UTC)' : 'Trigger time (UTC, first receipt)',
      iso(timeline.triggeredAt),
    ],
    ['Promotion', timeline.promotionStatus ?? 'not decided'],
  ];
  if (timeline.gate)
    measures.push([
      'Gate',
      `${timeline.gate.decided ? 'decided after' : 'waiting for'} ${formatDuration(timeline.gate.seconds)}`,
    ]);
  const lines = [`## DR run \`${timeline.executionId}\` (${options.trigger || 'unknown trigger'})`, ''];
  lines.push(markdownTable(['Measure', 'Value'], measures));
  lines.push('', '### Timeline', '');
  if (timeline.entries.length === 0) {
    lines.push('No receipts were found for this execution.');
  } else {
    lines.push('```mermaid', ganttChart(timeline), '```', '');
    lines.push(timelineTable(timeline));
    lines.push(
      '',
      `Floors: the recovery-time budget in docs/benchmarks.md for this run's size (${budget.context.pairs ?? 'default'} pairs, ${budget.context.backupBytes === undefined ? 'backup size unknown' : `${(budget.context.backupBytes / 1024 ** 2).toFixed(1)} MiB of backup`}); the gap to each phase's duration is what the floor leaves out.`,
    );
  }
  if (options.cost) lines.push('', '### Cost', '', renderCost(options.cost));
  const jobs = Object.entries(options.jobResults ?? {});
  if (jobs.length > 0) {
    const rows = jobs.map(([job, { result }]) => [job, `${ICON[result] ?? ''} ${result}`]);
    lines.push('', '### Jobs', '', markdownTable(['Job', 'Result'], rows));
  }
  return `${lines.join('\n')}\n`;
}

/** One row per receipt: when it ran, how long against its floor, and its file. */
function timelineTable(timeline: RunTimeline): string {
  const rows = timeline.entries.map((e) => {
    const status = `${ICON[e.status] ?? ''} ${e.status}${e.error ? ` (${e.error.reason}: ${e.error.message})` : ''}`;
    const floor = e.floorSeconds === undefined ? '—' : formatDuration(e.floorSeconds);
    return [
      e.sequence,
      e.phase,
      status,
      e.start.toISOString(),
      e.end.toISOString(),
      formatDuration(e.seconds),
      floor,
      e.file,
    ].map(cell);
  });
  return markdownTable(
    ['#', 'Phase', 'Status', 'Started (UTC)', 'Ended (UTC)', 'Duration', 'Floor', 'Receipt'],
    rows,
  );
}

const ratio = (actual: number, floor: number) =>
  floor > 0 ? `${(actual / floor).toFixed(1)}x the floor` : 'no floor';
