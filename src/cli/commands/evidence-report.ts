import type { CheckReport } from '../../evidence/check.js';
import { markdownTable } from '../../phases/summary.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';

/** The human form of an evidence check: verdict first, then every phase, every problem and every note. */
export function renderCheckReport(report: CheckReport, dir: string, term: Terminal): string {
  const verdict = report.verified
    ? paint(term, 'green', `VERIFIED: ${dir} (execution ${report.executionId})`)
    : paint(term, 'red', `NOT VERIFIED: ${dir} — ${report.problems.length} problem(s)`);
  const rows = report.phases.map((p) => [
    p.phase,
    p.outcome,
    p.attempt ? String(p.attempt) : '',
    p.path ?? '',
  ]);
  const parts = [
    verdict,
    '',
    markdownToText(markdownTable(['Phase', 'Outcome', 'Attempt', 'Receipt'], rows), term),
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
      : `Alarm: no qualifying OK→ALARM→OK (${report.alarm.changes} state change(s) read)`,
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
