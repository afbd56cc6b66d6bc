import { Command } from 'commander';
import { emulatorEnv, startEmulator } from '../../emulator/moto.js';
import { type RehearsalReport, runRehearsal } from '../../local/rehearsal.js';
import { markdownTable } from '../../phases/summary.js';
import { CliError, EXIT } from '../exit-codes.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';

interface DrillFlags {
  local?: boolean;
  endpointUrl?: string;
  executionId?: string;
  evidenceDir?: string;
  json?: boolean;
}

export function drillCommand(term: Terminal): Command {
  return new Command('drill')
    .description('Rehearse DR. --local runs the whole pipeline on an embedded AWS emulator, with no AWS or GitHub account.')
    .option('--local', 'run on the local emulator (real drills run in GitHub Actions: gh workflow run drill.yml)')
    .option('--endpoint-url <url>', 'use an emulator already running instead of starting one')
    .option('--execution-id <id>', 'execution id for the receipts (default: local-<timestamp>)')
    .option('--evidence-dir <dir>', 'where to write the evidence bundle (must be empty or absent; default: a new temp dir)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExamples:\n  $ standby drill --local\n  $ standby drill --local --evidence-dir ./drill-evidence --json\n')
    .action(async (flags: DrillFlags) => {
      if (!flags.local) throw new CliError('add --local: real drills run in GitHub Actions (gh workflow run drill.yml)', EXIT.usage);
      const progress = (line: string) => {
        if (!flags.json) term.err(paint(term, 'dim', line));
      };
      const emulator = flags.endpointUrl ? undefined : await startEmulator();
      const endpoint = flags.endpointUrl ?? emulator?.endpoint ?? '';
      Object.assign(process.env, emulatorEnv(endpoint));
      progress(`AWS emulator at ${endpoint}${emulator ? ' (started for this drill, stopped after)' : ''}`);
      try {
        const executionId = flags.executionId ?? `local-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
        const report = await runRehearsal({ endpoint, executionId, evidenceDir: flags.evidenceDir, progress });
        term.out(flags.json ? JSON.stringify(report, null, 2) : markdownToText(render(report), term));
        process.exitCode = report.timeline.some((s) => s.status === 'failed') ? EXIT.failed : report.evidence.verified ? EXIT.ok : EXIT.attention;
      } finally {
        await emulator?.stop();
      }
    });
}

function render(report: RehearsalReport): string {
  const rows = report.timeline.map((s) => [s.phase, s.status === 'skipped' ? 'not run' : s.status, `${(s.durationMs / 1000).toFixed(2)} s`, s.note]);
  const verdict = report.evidence.verified
    ? `verified (emulator bundle accepted; ${report.evidence.phases.filter((p) => p.outcome !== 'passed').length} phases reported as not run)`
    : `NOT verified: ${report.evidence.problems.map((p) => p.message).join('; ')}`;
  return [
    `## Local drill ${report.executionId}`,
    '',
    markdownTable(['Phase', 'Status', 'Took', 'Note'], rows),
    '',
    `RTO (alarm → approval-ready): ${report.rtoSeconds === null ? 'not reached' : `${report.rtoSeconds} s`}`,
    `RPO (backup age at restore-precheck): ${report.rpoHours === null ? 'unknown' : `${report.rpoHours} h`}`,
    `Receipts: ${report.receiptsAt} (on the emulator at ${report.endpoint})`,
    `Evidence: ${report.evidenceDir}`,
    `Evidence check: ${verdict}`,
  ].join('\n');
}
