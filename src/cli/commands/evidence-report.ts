import type { CheckReport } from '../../evidence/check.js';
import { markdownTable } from '../../phases/summary.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';

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
