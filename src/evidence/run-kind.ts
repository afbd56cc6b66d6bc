import type { Finding } from './bundle.js';
import type { BundledReceipt } from './bundled-receipts.js';

/**
 * What started the execution, which decides what the alarm evidence must show (docs/evidence.md): only a real
 * alarm-started run must show the alarm's OK→ALARM→OK; a manual drill is labelled as one.
 *
 * Two independent signals: the execution id the workflow chose (`alarm-<run id>` in alarm.yml,
 * `drill-<run id>` in drill.yml, `dr-<run id>` for other real runs, `local-...` for `drill --local`) and the
 * workflow file that wrote the first receipt (GITHUB_WORKFLOW_REF, which in a reusable workflow names the
 * caller: alarm.yml or drill.yml). When both are known they must agree: renaming an alarm run as a drill
 * would otherwise escape the alarm rule.
 */
export type RunKind = 'alarm' | 'drill' | 'dr' | 'scheduled' | 'local' | 'unknown';

export interface RunKindVerdict {
  kind: RunKind;
  /** For people: "alarm-started DR run", "manual drill", ... */
  label: string;
  /** Whether the alarm's OK→ALARM→OK is required. */
  alarmRequired: boolean;
  problems: Finding[];
}

const LABEL: Record<RunKind, string> = {
  alarm: 'alarm-started DR run',
  drill: 'manual drill (drill.yml): the alarm path is not exercised, so no alarm transition is required',
  dr: 'real DR run not started by an alarm: no alarm transition is required',
  scheduled: 'scheduled freshness run: no alarm transition is required',
  local: 'local rehearsal (standby drill --local)',
  unknown: 'run of unknown kind: the alarm rule applies (fail closed)',
};

const BY_PREFIX: Array<[RegExp, RunKind]> = [
  [/^alarm-/, 'alarm'],
  [/^drill-/, 'drill'],
  [/^dr-/, 'dr'],
  [/^freshness-/, 'scheduled'],
  [/^local-/, 'local'],
];

const BY_WORKFLOW: Record<string, RunKind> = {
  'alarm.yml': 'alarm',
  'drill.yml': 'drill',
  'freshness.yml': 'scheduled',
};

/**
 * The workflows that run the pipeline (each calls dr-pipeline.yml). A pipeline receipt names one of them
 * in `source.workflow`, never dr-pipeline.yml: GitHub sets GITHUB_WORKFLOW_REF to the caller.
 */
export const PIPELINE_WORKFLOWS: readonly string[] = Object.keys(BY_WORKFLOW);

/** `owner/repo/.github/workflows/drill.yml@refs/heads/main` → `drill.yml`. */
export function workflowFile(workflowRef: string | null | undefined): string | undefined {
  const match = /\.github\/workflows\/([^@/]+)(?:@|$)/.exec(workflowRef ?? '');
  return match?.[1];
}

export function judgeRunKind(
  executionId: string | undefined,
  receipts: BundledReceipt[],
  options: { requireAlarm?: boolean } = {},
): RunKindVerdict {
  const fromId = BY_PREFIX.find(([pattern]) => pattern.test(executionId ?? ''))?.[1];
  const first = receipts[0]?.receipt.source;
  const file = first?.kind === 'github-actions' ? workflowFile(first.workflow) : undefined;
  const fromWorkflow = file ? BY_WORKFLOW[file] : undefined;
  const problems: Finding[] = [];
  if (fromId && fromWorkflow && fromId !== fromWorkflow) {
    problems.push({
      code: 'run-kind-mismatch',
      message: `execution ${executionId} is named like a ${fromId} run but its first receipt was written by ${file}, which makes ${fromWorkflow} runs: the run is judged as ${fromWorkflow === 'alarm' || fromId === 'alarm' ? 'alarm-started' : fromWorkflow}`,
    });
  }
  // A disagreement involving an alarm run is judged by the stricter rule.
  const kind: RunKind =
    fromId === 'alarm' || fromWorkflow === 'alarm' ? 'alarm' : (fromWorkflow ?? fromId ?? 'unknown');
  const alarmRequired = Boolean(options.requireAlarm) || kind === 'alarm' || kind === 'unknown';
  return { kind, label: LABEL[kind], alarmRequired, problems };
}
