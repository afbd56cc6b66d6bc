import { Command, CommanderError } from 'commander';
import { findPhase } from '../phases/registry.js';
import { describeError } from '../util/errors.js';
import { admitCommand, drillHoldCommand, drillReleaseCommand } from './commands/admission.js';
import { backupCommand } from './commands/backup.js';
import { drillCommand } from './commands/drill.js';
import { evidenceCommand } from './commands/evidence.js';
import { failbackCommand } from './commands/failback.js';
import { logsCommand } from './commands/logs.js';
import { reviewCommand } from './commands/review.js';
import { statusCommand } from './commands/status.js';
import { CliError, EXIT } from './exit-codes.js';
import { phaseCommand } from './phase-command.js';
import { paint, processTerminal, type Terminal } from './terminal.js';

export function buildProgram(term: Terminal): Command {
  const program = new Command('standby')
    .description('Cold-standby disaster recovery for batch systems that publish to S3.')
    .version('0.1.0')
    // Options belong to the command they follow (`standby backup prune --backup-uri` is prune's).
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(
    phaseCommand(findPhase('check-health'), term, {
      attentionOutput: 'needs-dr',
      examples: [
        'standby check-health --publish-bucket my-publisher --publish-prefix batch --providers acme/daily,acme/hourly',
        'standby check-health --publish-bucket my-publisher --providers acme/daily --receipt-bucket my-receipts --json',
      ],
    }),
  );
  program.addCommand(
    phaseCommand(findPhase('restore-precheck'), term, {
      examples: [
        'standby restore-precheck --backup-uri s3://my-backups/batch/backups/2026-11-21T0300Z',
        'standby restore-precheck --backup-uri s3://my-backups/batch/backups/2026-11-21T0300Z --max-backup-age-hours 30 --json',
      ],
    }),
  );
  program.addCommand(
    phaseCommand(findPhase('sweep'), term, {
      examples: [
        'standby sweep --state-bucket acme-standby-tfstate --lock-table standby-terraform-locks --repository acme/batch-dr --dry-run',
      ],
    }),
  );
  program.addCommand(backupCommand(term));
  program.addCommand(
    phaseCommand(findPhase('activate'), term, {
      examples: [
        'standby activate --execution-id dr-123456789 --confirm dr-123456789 --receipt-bucket my-receipts',
        'standby activate --execution-id dr-123456789 --confirm dr-123456789 --receipt-bucket my-receipts --cronjobs jobintel-daily --json',
      ],
    }),
  );
  program.addCommand(statusCommand(term));
  program.addCommand(reviewCommand(term, 'approved'));
  program.addCommand(reviewCommand(term, 'rejected'));
  program.addCommand(drillCommand(term));
  program.addCommand(evidenceCommand(term));
  program.addCommand(logsCommand(term));
  program.addCommand(failbackCommand(term));
  program.addCommand(admitCommand(term));
  program.addCommand(drillHoldCommand(term));
  program.addCommand(drillReleaseCommand(term));
  return program;
}

/** The `standby` command line. Resolves to the process exit code (docs/cli.md lists them). */
export async function runCli(
  argv: string[] = process.argv.slice(2),
  term: Terminal = processTerminal(),
): Promise<number> {
  // Commands report their outcome through process.exitCode; runCli hands it back as its result and leaves
  // the host process's exit code as it found it (dist/standby.js sets it from the result).
  const hostExitCode = process.exitCode;
  process.exitCode = undefined;
  const program = buildProgram(term);
  program.configureOutput({ writeOut: (s) => term.out(s.trimEnd()), writeErr: (s) => term.err(s.trimEnd()) });
  for (const command of program.commands)
    command
      .exitOverride()
      .configureOutput({ writeOut: (s) => term.out(s.trimEnd()), writeErr: (s) => term.err(s.trimEnd()) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const code = error instanceof CliError ? error.exitCode : EXIT.failed;
    term.err(paint(term, 'red', `error: ${describeError(error)}`));
    return code;
  } finally {
    process.exitCode = hostExitCode;
  }
}
