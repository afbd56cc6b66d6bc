import { type AlarmStateChange, parseAlarmHistory } from './alarm-history.js';
import { type AlarmVerdict, judgeAlarmTransitions } from './alarm-transition.js';
import { ALARMS_DIR, type BundleFile, DRILL_REQUIRED_PHASES, type Finding, MANIFEST_FILE } from './bundle.js';
import { emulatorEndpoints, newestAttempts, parseBundledReceipts } from './bundled-receipts.js';
import { checkChain, checkExecutionIds, checkTimestamps } from './check-chain.js';
import { parseManifest, verifyManifest } from './manifest.js';
import { judgePhases, type PhaseOutcome } from './phase-outcomes.js';

export interface CheckOptions {
  /** Phases whose newest receipt must exist and be ok (default: a full drill). */
  require: readonly string[];
  /** Accept receipts written through an endpoint override (the local emulator). */
  acceptEmulator: boolean;
  /** The execution the bundle must belong to; default: the manifest's. */
  executionId?: string;
  /** How far before the first receipt's start and after the last receipt's end an alarm change still counts. */
  alarmLeadMinutes: number;
  alarmTrailMinutes: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  require: DRILL_REQUIRED_PHASES,
  acceptEmulator: false,
  alarmLeadMinutes: 60,
  alarmTrailMinutes: 60,
};

export interface CheckReport {
  verified: boolean;
  executionId: string | undefined;
  emulator: { endpoints: string[]; accepted: boolean };
  phases: PhaseOutcome[];
  alarm: { window?: { from: string; to: string }; transition?: AlarmVerdict['transition']; changes: number };
  problems: Finding[];
  notes: Finding[];
}

/** Pure: the whole verdict from the bundle's files. Every problem is listed; nothing stops at the first. */
export function checkBundle(files: BundleFile[], options: CheckOptions = DEFAULT_CHECK_OPTIONS): CheckReport {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  const { manifest, problem } = parseManifest(files.find((f) => f.path === MANIFEST_FILE)?.body);
  if (problem) problems.push(problem);
  if (manifest) problems.push(...verifyManifest(manifest, files));

  const parsed = parseBundledReceipts(files);
  const receipts = parsed.receipts;
  problems.push(...parsed.problems);
  if (receipts.length === 0)
    problems.push({ code: 'receipts-missing', message: 'the bundle holds no receipts (receipts/ is empty)' });
  const executionId = options.executionId ?? manifest?.execution_id ?? receipts[0]?.receipt.execution_id;
  if (manifest && options.executionId && manifest.execution_id !== options.executionId) {
    problems.push({
      code: 'execution-id-mismatch',
      message: `the manifest is for execution ${manifest.execution_id}, not ${options.executionId}`,
      path: MANIFEST_FILE,
    });
  }
  if (executionId) problems.push(...checkExecutionIds(receipts, executionId));
  problems.push(...checkChain(receipts), ...checkTimestamps(receipts));

  const endpoints = emulatorEndpoints(receipts);
  const emulatorAccepted = endpoints.length > 0 && options.acceptEmulator;
  if (endpoints.length > 0 && !options.acceptEmulator) {
    problems.push({
      code: 'emulator-bundle',
      message: `receipts were written through an endpoint override (${endpoints.join(', ')}), i.e. the local emulator, not AWS: rerun with --accept-emulator to check a rehearsal`,
    });
  }
  const phases = judgePhases(newestAttempts(receipts), receipts, options.require, emulatorAccepted);
  problems.push(...phases.problems);
  notes.push(...phases.notes);

  const alarmChanges: AlarmStateChange[] = [];
  const alarmFiles = files.filter((f) => f.path.startsWith(`${ALARMS_DIR}/`));
  for (const file of alarmFiles) {
    const history = parseAlarmHistory(file.body.toString('utf8'), file.path);
    alarmChanges.push(...history.changes);
    problems.push(...history.findings);
  }
  const alarm: CheckReport['alarm'] = { changes: alarmChanges.length };
  if (emulatorAccepted && alarmFiles.length === 0) {
    notes.push({
      code: 'alarm-not-run',
      message:
        'alarm transition not checked: the emulator has no alarm history (DescribeAlarmHistory), so this rehearsal cannot prove the alarm path',
    });
  } else if (receipts.length > 0) {
    const starts = receipts.map((r) => Date.parse(r.receipt.started_at));
    const ends = receipts.map((r) => Date.parse(r.receipt.ended_at));
    const window = {
      from: new Date(Math.min(...starts) - options.alarmLeadMinutes * 60_000),
      to: new Date(Math.max(...ends) + options.alarmTrailMinutes * 60_000),
    };
    const verdict = judgeAlarmTransitions(alarmChanges, window);
    alarm.window = { from: window.from.toISOString(), to: window.to.toISOString() };
    alarm.transition = verdict.transition;
    problems.push(...verdict.problems);
    notes.push(...verdict.notes);
  }

  return {
    verified: problems.length === 0,
    executionId,
    emulator: { endpoints, accepted: emulatorAccepted },
    phases: phases.outcomes,
    alarm,
    problems,
    notes,
  };
}
