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
}

const ICON: Record<string, string> = {
  ok: '✅',
  failed: '❌',
  skipped: '⏭️',
  success: '✅',
  failure: '❌',
  cancelled: '🚫',
};
const cell = (value: unknown) =>
  String(value ?? '—')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
const row = (cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;
const iso = (date?: Date) => (date ? date.toISOString() : 'unknown');

export function renderRunReport(timeline: RunTimeline, options: RunReportOptions = {}): string {
  const { budget } = timeline;
  const rto =
    timeline.rtoSeconds === undefined
      ? 'not reached'
      : `${formatDuration(timeline.rtoSeconds)} (floor ${formatDuration(budget.totalSeconds)}, ${ratio(timeline.rtoSeconds, budget.totalSeconds)})`;
  const lines = [`## DR run \`${timeline.executionId}\` (${options.trigger || 'unknown trigger'})`, ''];
  lines.push(row(['Measure', 'Value']), '| --- | --- |');
  lines.push(row(['RTO (trigger → approval-ready)', rto]));
  lines.push(
    row([
      'RPO (backup age at restore)',
      timeline.rpoHours === undefined ? 'unknown' : `${timeline.rpoHours} h`,
    ]),
  );
  lines.push(
    row([
      timeline.triggerGiven ? 'Trigger time (UTC)' : 'Trigger time (UTC, first receipt)',
      iso(timeline.triggeredAt),
    ]),
  );
  lines.push(row(['Promotion', timeline.promotionStatus ?? 'not decided']));
  if (timeline.gate)
    lines.push(
      row([
        'Gate',
        `${timeline.gate.decided ? 'decided after' : 'waiting for'} ${formatDuration(timeline.gate.seconds)}`,
      ]),
    );
  lines.push('', '### Timeline', '');
  if (timeline.entries.length === 0) {
    lines.push('No receipts were found for this execution.');
  } else {
    lines.push('```mermaid', ganttChart(timeline), '```', '');
    lines.push(
      row(['#', 'Phase', 'Status', 'Started (UTC)', 'Ended (UTC)', 'Duration', 'Floor', 'Receipt']),
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const e of timeline.entries) {
      const status = `${ICON[e.status] ?? ''} ${e.status}${e.error ? ` (${e.error.reason}: ${e.error.message})` : ''}`;
      const floor = e.floorSeconds === undefined ? '—' : formatDuration(e.floorSeconds);
      lines.push(
        row([
          e.sequence,
          e.phase,
          status,
          e.start.toISOString(),
          e.end.toISOString(),
          formatDuration(e.seconds),
          floor,
          e.file,
        ]),
      );
    }
    lines.push(
      '',
      `Floors: the recovery-time budget in docs/benchmarks.md for this run's size (${budget.context.pairs ?? 'default'} pairs, ${budget.context.backupBytes === undefined ? 'backup size unknown' : `${(budget.context.backupBytes / 1024 ** 2).toFixed(1)} MiB of backup`}); the gap to each phase's duration is what the floor leaves out.`,
    );
  }
  const jobs = Object.entries(options.jobResults ?? {});
  if (jobs.length > 0) {
    lines.push('', '### Jobs', '', row(['Job', 'Result']), '| --- | --- |');
    for (const [job, { result }] of jobs) lines.push(row([job, `${ICON[result] ?? ''} ${result}`]));
  }
  return `${lines.join('\n')}\n`;
}

const ratio = (actual: number, floor: number) =>
  floor > 0 ? `${(actual / floor).toFixed(1)}x the floor` : 'no floor';
