import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { renderCost } from '../../cost/render.js';
import { emulatorAws, startEmulator } from '../../emulator/moto.js';
import {
  FAULT_DESCRIPTIONS,
  LOCAL_FAULT_KINDS,
  type LocalFaultKind,
  RUNNER_ONLY_FAULTS,
} from '../../local/negative-drill.js';
import { type PlanRehearsalReport, runPlanRehearsal } from '../../local/plan-rehearsal.js';
import { type RehearsalReport, runRehearsal } from '../../local/rehearsal.js';
import { renderReviewPreview } from '../../preview/render.js';
import { parseTargetKind, parseTargetName, type Target } from '../../targets/target.js';
import { markdownTable } from '../../util/markdown.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';

interface DrillFlags {
  local?: boolean;
  plan?: boolean;
  endpointUrl?: string;
  executionId?: string;
  evidenceDir?: string;
  fault?: LocalFaultKind;
  target?: string;
  targetKind?: string;
  json?: boolean;
}

export function drillCommand(term: Terminal): Command {
  return new Command('drill')
    .description(
      'Rehearse DR. --local runs the whole pipeline on an embedded AWS emulator, with no AWS or GitHub account.',
    )
    .option(
      '--local',
      'run on the local emulator (real drills run in GitHub Actions: gh workflow run drill.yml)',
    )
    .option(
      '--plan',
      'plan-only drill: check-health, restore-precheck, Terraform plan; no apply; writes a plan bundle',
    )
    .option('--endpoint-url <url>', 'use an emulator already running instead of starting one')
    .option('--execution-id <id>', 'execution id for the receipts (default: local-<timestamp>)')
    .option(
      '--evidence-dir <dir>',
      'where to write the evidence bundle (must be empty or absent; default: a new temp dir)',
    )
    .addOption(
      new Option(
        '--fault <kind>',
        'negative drill: plant this fault first; passes only if the pipeline refuses or falls back as designed',
      ).choices(LOCAL_FAULT_KINDS),
    )
    .option(
      '--target <name>',
      'the target the rehearsal is for, recorded in every receipt (a-z 0-9 -; default: default)',
    )
    .option(
      '--target-kind <kind>',
      'k3s (default) or eks: what the target restores onto; on eks the phases that need the cluster are reported as not run, saying what an eks run does there',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  $ standby drill --local\n  $ standby drill --local --target-kind eks --target batch-eks\n  $ standby drill --local --evidence-dir ./drill-evidence --json\n  $ standby drill --local --fault corrupt-newest-backup\n\nFaults (--fault):\n${LOCAL_FAULT_KINDS.map((k) => `  ${k}: ${FAULT_DESCRIPTIONS[k]}`).join('\n')}\n\nNeeds a runner (not plantable locally; its negative drill is the runner sandbox test):\n${RUNNER_ONLY_FAULTS.map((k) => `  ${k}: ${FAULT_DESCRIPTIONS[k]}`).join('\n')}\n`,
    )
    .action(returnsExitCode((flags: DrillFlags) => runDrill(term, flags)));
}

/** `standby drill`: the local rehearsal (or its plan-only form) on an emulator started for it. */
async function runDrill(term: Terminal, flags: DrillFlags): Promise<number> {
  if (!flags.local)
    throw new CliError(
      'add --local: real drills run in GitHub Actions (gh workflow run drill.yml)',
      EXIT.usage,
    );
  // Checked before the emulator starts: a bad target leaves nothing behind (no receipts, no evidence dir).
  const target = targetOf(flags);
  const progress = (line: string) => {
    if (!flags.json) term.err(paint(term, 'dim', line));
  };
  const emulator = flags.endpointUrl ? undefined : await startEmulator();
  const endpoint = flags.endpointUrl ?? emulator?.endpoint ?? '';
  progress(`AWS emulator at ${endpoint}${emulator ? ' (started for this drill, stopped after)' : ''}`);
  try {
    const executionId =
      flags.executionId ?? `local-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
    if (flags.plan) {
      const bundleDir =
        flags.evidenceDir ?? path.join(await mkdtemp(path.join(tmpdir(), 'standby-plan-')), 'plan');
      const planned = await runPlanRehearsal({
        aws: emulatorAws(endpoint),
        executionId,
        bundleDir,
        target,
        progress,
      });
      term.out(flags.json ? JSON.stringify(planned, null, 2) : markdownToText(renderPlan(planned), term));
      return planned.timeline.some((s) => s.status === 'failed') ? EXIT.failed : EXIT.ok;
    }
    const report = await runRehearsal({
      endpoint,
      aws: emulatorAws(endpoint),
      executionId,
      evidenceDir: flags.evidenceDir,
      ...(flags.fault ? { fault: flags.fault } : {}),
      target,
      progress,
    });
    term.out(flags.json ? JSON.stringify(report, null, 2) : markdownToText(render(report), term));
    // A negative drill is judged on the refusal it expects, not on the failed phase it provokes.
    if (report.negative) return report.negative.passed ? EXIT.ok : EXIT.failed;
    return report.timeline.some((s) => s.status === 'failed')
      ? EXIT.failed
      : report.evidence.verified
        ? EXIT.ok
        : EXIT.attention;
  } finally {
    await emulator?.stop();
  }
}

/** The rehearsed target from --target and --target-kind, checked by the same parsers as the phases' inputs. */
function targetOf(flags: DrillFlags): Target {
  return {
    name: parseTargetName('--target', flags.target ?? ''),
    kind: parseTargetKind('--target-kind', flags.targetKind ?? ''),
  };
}

/** The line that names the rehearsed target, as the reviewer summary does: `name (kind)`. */
function targetLine(target: Target): string {
  return `Target: ${target.name} (${target.kind})`;
}

function timelineTable(timeline: RehearsalReport['timeline']): string {
  const rows = timeline.map((s) => [
    s.phase,
    s.status === 'skipped' ? 'not run' : s.status,
    `${(s.durationMs / 1000).toFixed(2)} s`,
    s.note,
  ]);
  return markdownTable(['Phase', 'Status', 'Took', 'Note'], rows);
}

function renderPlan(report: PlanRehearsalReport): string {
  return [
    `## Plan-only drill ${report.executionId}`,
    '',
    targetLine(report.target),
    '',
    timelineTable(report.timeline),
    '',
    `Plan bundle: ${report.bundleDir} (${report.bundleFiles.join(', ')})`,
  ].join('\n');
}

function render(report: RehearsalReport): string {
  const verdict = report.evidence.verified
    ? `verified (emulator bundle accepted; ${report.evidence.phases.filter((p) => p.outcome !== 'passed').length} phases reported as not run)`
    : `NOT verified: ${report.evidence.problems.map((p) => p.message).join('; ')}`;
  return [
    `## Local drill ${report.executionId}`,
    '',
    targetLine(report.target),
    '',
    timelineTable(report.timeline),
    '',
    `RTO (alarm → approval-ready): ${formatRto(report.rtoSeconds)}`,
    `RPO (backup age at restore-precheck): ${report.rpoHours === null ? 'unknown' : `${report.rpoHours} h`}`,
    `Receipts: ${report.receiptsAt} (on the emulator at ${report.endpoint})`,
    `Evidence: ${report.evidenceDir}`,
    `Evidence check: ${verdict}`,
    ...(report.negative ? ['', renderNegative(report.negative)] : []),
    ...(report.restorePreview ? ['', renderReviewPreview(report.restorePreview)] : []),
    ...(report.cost ? ['', renderCost(report.cost)] : []),
  ].join('\n');
}

function renderNegative(negative: NonNullable<RehearsalReport['negative']>): string {
  return [
    `### Negative drill (${negative.fault}): ${negative.passed ? 'PASSED, the pipeline refused as designed' : 'FAILED, the fault was not handled as designed'}`,
    '',
    negative.description,
    '',
    markdownTable(
      ['Expected', 'Held', 'Saw'],
      negative.expectations.map((e) => [e.what, e.held ? 'yes' : 'NO', e.saw]),
    ),
  ].join('\n');
}

/** request-approval measures RTO in whole seconds; a local drill reaches approval within one. */
function formatRto(seconds: number | null): string {
  if (seconds === null) return 'not reached';
  return seconds < 1 ? 'under 1 s' : `${seconds} s`;
}
