import { formatDuration } from '../util/time.js';
import type { ExecutionRow } from './execution-history.js';

/**
 * The RTO of recent executions against each one's recovery-time budget, drawn twice from the same
 * points: as text for a terminal (bars, a budget mark, a sparkline; colour only through `paint`, which
 * the CLI makes a no-op when standard output is not a TTY) and as a Mermaid xychart for the report job's
 * summary. Oldest first, so time runs left to right and top to bottom. An execution that never reached
 * approval-ready has no RTO: it is named, never drawn as zero.
 */
export interface TrendPoint {
  executionId: string;
  rtoSeconds: number;
  budgetSeconds: number;
}

export function trendPoints(rows: ExecutionRow[]): { points: TrendPoint[]; withoutRto: string[] } {
  const oldestFirst = [...rows].reverse();
  const points = oldestFirst.flatMap((r) =>
    r.rtoSeconds === undefined
      ? []
      : [{ executionId: r.executionId, rtoSeconds: r.rtoSeconds, budgetSeconds: r.budgetSeconds }],
  );
  return {
    points,
    withoutRto: oldestFirst.filter((r) => r.rtoSeconds === undefined).map((r) => r.executionId),
  };
}

const BAR_WIDTH = 40;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const SPARKS = '▁▂▃▄▅▆▇█';

export type Paint = (over: boolean, text: string) => string;

export function rtoTrendText(rows: ExecutionRow[], paint: Paint = (_, text) => text): string[] {
  const { points, withoutRto } = trendPoints(rows);
  if (points.length === 0)
    return ['RTO trend: no execution reached approval-ready, so there is no RTO to draw.'];
  const max = Math.max(...points.flatMap((p) => [p.rtoSeconds, p.budgetSeconds]));
  const idWidth = Math.max(...points.map((p) => p.executionId.length));
  const lines = [
    `RTO trend, oldest first (█ RTO, │ the recovery-time budget of that run; full width = ${formatDuration(max)}):`,
  ];
  for (const p of points) {
    const over = p.rtoSeconds > p.budgetSeconds;
    const bar = withMark(barOf(p.rtoSeconds / max), Math.round((p.budgetSeconds / max) * BAR_WIDTH));
    const verdict = over ? ratio(p) : 'within budget';
    lines.push(
      `${p.executionId.padEnd(idWidth)}  ${paint(over, bar)}  ${formatDuration(p.rtoSeconds)} (${verdict})`,
    );
  }
  lines.push(`${'sparkline'.padEnd(idWidth)}  ${sparkline(points.map((p) => p.rtoSeconds))}`);
  if (withoutRto.length > 0) lines.push(`No RTO (approval-ready never reached): ${withoutRto.join(', ')}`);
  return lines;
}

/** A bar of BAR_WIDTH columns for a fraction 0..1, in eighths of a column, padded with spaces. */
function barOf(fraction: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * BAR_WIDTH * 8);
  const text = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
  return text.padEnd(BAR_WIDTH + 1);
}

/** The budget mark at its column (over the bar where the RTO passed it). */
const withMark = (bar: string, column: number) => `${bar.slice(0, column)}│${bar.slice(column + 1)}`;

export function sparkline(values: number[]): string {
  const max = Math.max(...values);
  const min = Math.min(...values);
  return values
    .map(
      (v) =>
        SPARKS[max === min ? SPARKS.length - 1 : Math.round(((v - min) / (max - min)) * (SPARKS.length - 1))],
    )
    .join('');
}

const ratio = (p: TrendPoint) =>
  p.budgetSeconds > 0 ? `${(p.rtoSeconds / p.budgetSeconds).toFixed(1)}x the budget` : 'no budget';

/**
 * Mermaid's xychart-beta: one bar per execution with an RTO, the budget as a line. Minutes, or seconds
 * when every value is under two minutes. Labels are execution ids (letters, digits, `._-`), quoted.
 */
export function rtoTrendMermaid(rows: ExecutionRow[]): string | undefined {
  const { points } = trendPoints(rows);
  if (points.length === 0) return undefined;
  const max = Math.max(...points.flatMap((p) => [p.rtoSeconds, p.budgetSeconds]));
  const [unit, per] = max < 120 ? ['seconds', 1] : ['minutes', 60];
  const value = (seconds: number) => String(Math.round((seconds / per) * 100) / 100);
  return [
    'xychart-beta',
    `  title "RTO of the last ${points.length} execution(s) against the recovery-time budget"`,
    `  x-axis [${points.map((p) => `"${p.executionId.replace(/"/g, '')}"`).join(', ')}]`,
    `  y-axis "RTO (${unit})" 0 --> ${value(max * 1.1)}`,
    `  bar [${points.map((p) => value(p.rtoSeconds)).join(', ')}]`,
    `  line [${points.map((p) => value(p.budgetSeconds)).join(', ')}]`,
  ].join('\n');
}
