import { type AlarmStateChange, parseAlarmHistory } from './alarm-history.js';
import { type AlarmVerdict, judgeAlarmTransitions } from './alarm-transition.js';
import { ALARMS_DIR, type BundleFile, type Finding } from './bundle.js';
import type { BundledReceipt } from './bundled-receipts.js';
import type { RunKindVerdict } from './run-kind.js';

export interface AlarmReport {
  window?: { from: string; to: string };
  transition?: AlarmVerdict['transition'];
  changes: number;
  required: boolean;
}

/**
 * The alarm evidence, fitted to the run: every alarms/ file parsed; the OK→ALARM→OK round trip required
 * only of runs that need it (RunKindVerdict.alarmRequired); missing-data-only ALARMs a problem for any run
 * with alarm history; an accepted emulator rehearsal without history just says the check did not run.
 */
export function checkAlarms(
  files: BundleFile[],
  receipts: BundledReceipt[],
  run: RunKindVerdict,
  options: { emulatorAccepted: boolean; leadMinutes: number; trailMinutes: number },
): { alarm: AlarmReport; problems: Finding[]; notes: Finding[] } {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  const changes: AlarmStateChange[] = [];
  const alarmFiles = files.filter((f) => f.path.startsWith(`${ALARMS_DIR}/`));
  for (const file of alarmFiles) {
    const history = parseAlarmHistory(file.body.toString('utf8'), file.path);
    changes.push(...history.changes);
    problems.push(...history.findings);
  }
  const alarm: AlarmReport = { changes: changes.length, required: run.alarmRequired };
  if (options.emulatorAccepted && alarmFiles.length === 0) {
    notes.push({
      code: 'alarm-not-run',
      message:
        'alarm transition not checked: the emulator has no alarm history (DescribeAlarmHistory), so this rehearsal cannot prove the alarm path',
    });
    return { alarm, problems, notes };
  }
  if (receipts.length === 0) return { alarm, problems, notes };
  const starts = receipts.map((r) => Date.parse(r.receipt.started_at));
  const ends = receipts.map((r) => Date.parse(r.receipt.ended_at));
  const window = {
    from: new Date(Math.min(...starts) - options.leadMinutes * 60_000),
    to: new Date(Math.max(...ends) + options.trailMinutes * 60_000),
  };
  const verdict = judgeAlarmTransitions(changes, window, { required: run.alarmRequired });
  alarm.window = { from: window.from.toISOString(), to: window.to.toISOString() };
  alarm.transition = verdict.transition;
  problems.push(...verdict.problems);
  notes.push(...verdict.notes);
  return { alarm, problems, notes };
}
