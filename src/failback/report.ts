import { markdownTable } from '../util/markdown.js';
import { type Divergence, describeDivergence } from './divergence.js';
import type { ApplyOutcome } from './execute.js';
import type { PointerChange } from './plan.js';
import type { RecordedStep } from './receipts.js';
import type { describePointers } from './survey.js';

export type FailbackOutcome =
  | 'planned'
  | 'applied'
  | 'refused'
  | 'divergent'
  | 'apply-failed'
  | 'verify-failed';

export interface FailbackReport extends Partial<Omit<ApplyOutcome, 'outcome' | 'message'>> {
  outcome: FailbackOutcome;
  message: string;
  executionId: string;
  primaryRunId: string;
  drRunId: string;
  pointers: ReturnType<typeof describePointers>;
  /** Pass to --expect-state-digest to apply only if the pointers are still exactly these. */
  stateDigest: string;
  runs: { primaryPrefix: string; drPrefix: string; primaryObjects: number; drObjects: number };
  divergence: Divergence;
  plan: Omit<PointerChange, 'body'>[];
  receipts: RecordedStep[];
}

const LISTED_KEYS = 20;

/** The report as markdown: the CLI prints it as text, the workflow appends it to the job summary. */
export function renderFailbackReport(report: FailbackReport): string {
  const lines = [
    `## Failback ${report.executionId}: ${report.outcome}`,
    '',
    report.message,
    '',
    `Primary run \`${report.primaryRunId}\` (${report.runs.primaryObjects} objects under \`${report.runs.primaryPrefix}\`), ` +
      `DR run \`${report.drRunId}\` (${report.runs.drObjects} objects under \`${report.runs.drPrefix}\`).`,
    '',
    `### Pointers now (state digest \`${report.stateDigest}\`)`,
    '',
    markdownTable(
      ['Pointer', 'Key', 'Run id', 'ETag', 'Version'],
      report.pointers.map((p) => [
        p.name,
        p.key,
        p.run_id ?? `(${p.problem})`,
        p.etag ?? '',
        p.version_id ?? '',
      ]),
    ),
  ];
  if (report.plan.length > 0) {
    lines.push(
      '',
      '### Plan',
      '',
      markdownTable(
        ['Key', 'From', 'To', 'If-Match ETag', 'New content sha256'],
        report.plan.map((c) => [c.key, c.fromRunId, c.toRunId, c.etag, c.sha256]),
      ),
    );
  }
  lines.push(...divergenceLines(report.divergence), ...applyLines(report));
  const written = report.receipts.filter((r) => r.uri);
  lines.push(
    '',
    written.length > 0
      ? `Receipts: ${written.map((r) => `\`${r.uri}\``).join(', ')}`
      : 'Receipts: none (no receipt bucket given)',
  );
  return `${lines.join('\n')}\n`;
}

/** The two runs' listings compared, the first LISTED_KEYS differences named. */
function divergenceLines(d: FailbackReport['divergence']): string[] {
  const lines: string[] = [];
  lines.push('', `### Divergence: ${describeDivergence(d)}`);
  const rows = [
    ...d.onlyInPrimary.map((key) => [key, 'only in primary']),
    ...d.onlyInDr.map((key) => [key, 'only in DR']),
    ...d.different.map((x) => [
      x.key,
      `size ${x.primary.size}/${x.dr.size}, ETag ${x.primary.etag}/${x.dr.etag}`,
    ]),
  ];
  if (rows.length > 0) {
    lines.push('', markdownTable(['Key', 'Difference (primary/DR)'], rows.slice(0, LISTED_KEYS)));
    if (rows.length > LISTED_KEYS)
      lines.push(
        '',
        `… and ${rows.length - LISTED_KEYS} more (all of them are in --json and the verify-before receipt)`,
      );
  }
  return lines;
}

/** What apply wrote and rolled back, and what verify-after read back. */
function applyLines(report: FailbackReport): string[] {
  const lines: string[] = [];
  if (report.apply) {
    lines.push(
      '',
      '### Apply',
      '',
      markdownTable(
        ['Key', 'Write', 'Rollback'],
        report.apply.writes.map((w) => {
          const back = report.apply?.rollback.find((r) => r.key === w.key);
          return [
            w.key,
            w.error ? `${w.status}: ${w.error}` : w.status,
            back ? (back.error ? `${back.status}: ${back.error}` : back.status) : '',
          ];
        }),
      ),
    );
  }
  if (report.verification) {
    const bad = report.verification.filter((c) => !c.ok);
    lines.push(
      '',
      `Verify after: ${report.verification.length - bad.length} of ${report.verification.length} pointers as expected`,
    );
    for (const check of bad) lines.push(`- ${check.key}: ${check.problem}`);
  }
  return lines;
}
