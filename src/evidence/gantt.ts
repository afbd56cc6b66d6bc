import { JOB_OVERHEAD_SECONDS } from '../pipeline/budget.js';
import { jobOfPhase } from '../pipeline/jobs.js';
import { formatDuration } from '../util/time.js';
import type { RunTimeline } from './timeline.js';

/**
 * The run as a Mermaid gantt chart, for the report job's summary and `standby evidence report`: GitHub
 * renders ```mermaid blocks wherever it renders Markdown (github/roadmap#372), and a job summary is
 * GitHub Flavored Markdown (docs/benchmarks.md, "The run as a picture", has the sources). Sections: the run (one bar
 * per receipt, failed ones critical), the budget laid end to end from the trigger, the gate's wait, and
 * RTO and RPO as milestones.
 *
 * Written for Mermaid's gantt grammar as checked against mermaid 12.3.0's parser: dates as
 * `YYYY-MM-DDTHH:mm:ss` (dayjs reads a trailing Z or fraction as a zero-length bar, silently), explicit end
 * dates rather than durations, ids of letters and digits, and names without `:` (it ends a task name),
 * `#` and `;` (entity codes) or `%` (comments). Times are UTC; the axis says so.
 */
const FORBIDDEN = /[:#;%\r\n]/g;

export function ganttChart(timeline: RunTimeline): string {
  const head = ['gantt', `  title ${name(title(timeline))}`, '  dateFormat YYYY-MM-DDTHH:mm:ss'];
  if (timeline.entries.length === 0) {
    return [
      ...head,
      '  axisFormat %H:%M',
      '  section No receipts',
      `  nothing recorded yet :milestone, none, ${at(new Date(0))}, ${at(new Date(0))}`,
    ].join('\n');
  }
  const lines = [...runSection(timeline), ...notRunSection(timeline)];
  if (timeline.triggeredAt) lines.push(...budgetSection(timeline, timeline.triggeredAt));
  if (timeline.gate) {
    const { gate } = timeline;
    const label = gate.decided
      ? `reviewer decided after ${formatDuration(gate.seconds)}`
      : `waiting for a reviewer ${formatDuration(gate.seconds)} so far`;
    lines.push(
      '  section Gate',
      `  ${name(label)} :${gate.decided ? 'done' : 'active'}, g1, ${at(gate.from)}, ${at(atLeastOneSecond(gate.from, gate.to))}`,
    );
  }
  lines.push(...measures(timeline));
  return [...head, `  axisFormat ${axisFormat(spanSeconds(lines))}`, ...lines].join('\n');
}

/**
 * Mermaid picks the ticks from the chart's span (seconds apart for a short run) but prints them with
 * axisFormat alone: `%H:%M` on a five-minute run repeats one minute on every tick. So the format
 * follows the span: seconds under ten minutes, the day once it passes one.
 */
export function axisFormat(spanSeconds: number): string {
  if (spanSeconds < 10 * 60) return '%H:%M:%S';
  if (spanSeconds < 24 * 3600) return '%H:%M';
  return '%d %b %H:%M';
}

/** The phases that ran (done, or crit when failed), one bar per receipt. */
function runSection(timeline: RunTimeline): string[] {
  const lines = ['  section Run (UTC)'];
  timeline.entries.forEach((entry, i) => {
    if (entry.status === 'skipped') return;
    const tags = entry.status === 'failed' ? 'crit, ' : 'done, ';
    lines.push(
      `  ${name(entryLabel(entry))} :${tags}r${i + 1}, ${at(entry.start)}, ${at(atLeastOneSecond(entry.start, entry.end))}`,
    );
  });
  return lines;
}

/**
 * Skipped receipts, and the pipeline phases before the gate that left no receipt at all, in a section
 * of their own and as milestones (a diamond, not a bar): a phase that did not run must not look like
 * one that did. A phase without a receipt is placed at the run's last receipt.
 */
function notRunSection(timeline: RunTimeline): string[] {
  const lines: string[] = [];
  timeline.entries.forEach((entry, i) => {
    if (entry.status !== 'skipped') return;
    lines.push(`  ${name(entryLabel(entry))} :milestone, r${i + 1}, ${at(entry.start)}, ${at(entry.start)}`);
  });
  const seen = new Set(timeline.entries.map((e) => e.phase));
  const last = new Date(Math.max(...timeline.entries.map((e) => e.end.getTime())));
  timeline.budget.lines
    .filter((line) => !seen.has(line.phase))
    .forEach((line, i) => {
      lines.push(
        `  ${name(`${line.phase} not run (no receipt)`)} :milestone, n${i + 1}, ${at(last)}, ${at(last)}`,
      );
    });
  return lines.length ? ['  section Skipped or not run', ...lines] : [];
}

const entryLabel = (entry: RunTimeline['entries'][number]) => {
  const floor = entry.floorSeconds !== undefined ? ` (floor ${formatDuration(entry.floorSeconds)})` : '';
  return `${entry.phase}${entry.attempt > 1 ? ` attempt ${entry.attempt}` : ''} ${statusWord(entry.status)}${formatDuration(entry.seconds)}${floor}`;
};

/** From the earliest to the latest time any task line names. */
function spanSeconds(lines: string[]): number {
  const times = lines
    .flatMap((l) => l.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/g) ?? [])
    .map((t) => Date.parse(`${t}Z`));
  return times.length ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
}

function title(timeline: RunTimeline): string {
  const rto =
    timeline.rtoSeconds === undefined ? 'RTO not reached' : `RTO ${formatDuration(timeline.rtoSeconds)}`;
  const rpo = timeline.rpoHours === undefined ? 'RPO unknown' : `RPO ${timeline.rpoHours} h`;
  return `DR run ${timeline.executionId} - ${rto} against a floor of ${formatDuration(timeline.budget.totalSeconds)} - ${rpo}`;
}

/** The floor, laid end to end from the trigger: each job's start-up, then each of its phases. */
function budgetSection(timeline: RunTimeline, from: Date): string[] {
  const lines = ['  section Budget (floor on AWS)'];
  let t = from.getTime();
  let job = '';
  timeline.budget.lines.forEach((line, i) => {
    const startsJob = jobOfPhase(line.phase) !== job;
    job = jobOfPhase(line.phase) ?? job;
    const seconds = line.seconds + (startsJob ? JOB_OVERHEAD_SECONDS : 0);
    const start = new Date(t);
    t += seconds * 1000;
    const what = `${line.phase}${startsJob ? ' with job start' : ''} ${formatDuration(seconds)}`;
    lines.push(`  ${name(what)} :b${i + 1}, ${at(start)}, ${at(atLeastOneSecond(start, new Date(t)))}`);
  });
  return lines;
}

function measures(timeline: RunTimeline): string[] {
  const lines: string[] = [];
  if (timeline.approvalReadyAt && timeline.rtoSeconds !== undefined)
    lines.push(
      `  ${name(`RTO ${formatDuration(timeline.rtoSeconds)} approval-ready`)} :milestone, m1, ${at(timeline.approvalReadyAt)}, ${at(timeline.approvalReadyAt)}`,
    );
  const precheck = timeline.entries.filter((e) => e.phase === 'restore-precheck' && e.status === 'ok').at(-1);
  if (precheck && timeline.rpoHours !== undefined) {
    const backup = timeline.backupCreatedAt
      ? ` backup of ${timeline.backupCreatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
      : '';
    lines.push(
      `  ${name(`RPO ${timeline.rpoHours} h${backup}`)} :milestone, m2, ${at(precheck.end)}, ${at(precheck.end)}`,
    );
  }
  return lines.length ? ['  section Measures', ...lines] : [];
}

const statusWord = (status: string) => (status === 'ok' ? '' : `${status} `);
/** A task name Mermaid accepts: the characters it reads as syntax become spaces. */
const name = (text: string) => text.replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
/** `YYYY-MM-DDTHH:mm:ss` in UTC, whole seconds. */
const at = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().slice(0, 19);
const atLeastOneSecond = (start: Date, end: Date) =>
  new Date(Math.max(end.getTime(), Math.floor(start.getTime() / 1000) * 1000 + 1000));
