import { Command } from 'commander';
import { emulatorEnv, startEmulator } from '../../emulator/moto.js';
import { runRehearsal } from '../../local/rehearsal.js';
import { markdownTable } from '../../phases/summary.js';
import { CliError, EXIT } from '../exit-codes.js';
import { markdownToText, paint, type Terminal } from '../terminal.js';

export function drillCommand(term: Terminal): Command {
  return new Command('drill')
    .description(
      'Rehearse DR. --local runs the pipeline on an embedded AWS emulator, with no AWS or GitHub account.',
    )
    .option(
      '--local',
      'run on the local emulator (the only mode this command has; real drills run in GitHub Actions)',
    )
    .option('--endpoint-url <url>', 'use an emulator already running instead of starting one')
    .option('--execution-id <id>', 'execution id for the receipts (default: local-<timestamp>)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ standby drill --local\n  $ standby drill --local --endpoint-url http://127.0.0.1:5000 --json\n',
    )
    .action(
      async (flags: { local?: boolean; endpointUrl?: string; executionId?: string; json?: boolean }) => {
        if (!flags.local) {
          throw new CliError(
            'only --local is supported here; start a real drill with `gh workflow run drill.yml`',
            EXIT.usage,
          );
        }
        const progress = (line: string) => {
          if (!flags.json) term.err(paint(term, 'dim', line));
        };
        const emulator = flags.endpointUrl ? undefined : await startEmulator();
        const endpoint = flags.endpointUrl ?? emulator?.endpoint ?? '';
        Object.assign(process.env, emulatorEnv(endpoint));
        progress(`AWS emulator at ${endpoint}${emulator ? ' (started for this drill)' : ''}`);
        try {
          const executionId =
            flags.executionId ?? `local-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
          const report = await runRehearsal({ endpoint, executionId, progress });
          if (flags.json) term.out(JSON.stringify(report, null, 2));
          else {
            const rows = report.steps.map((s) => [
              s.phase,
              s.status,
              `${(s.durationMs / 1000).toFixed(1)} s`,
              s.note,
            ]);
            term.out(
              markdownToText(
                `## Local drill ${report.executionId}\n\n${markdownTable(['Phase', 'Status', 'Took', 'Note'], rows)}\n\nReceipts: ${report.receiptsAt}`,
                term,
              ),
            );
          }
          if (report.steps.some((s) => s.status === 'failed')) process.exitCode = EXIT.failed;
        } finally {
          await emulator?.stop();
        }
      },
    );
}
