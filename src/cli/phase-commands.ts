import type { Command } from 'commander';
import { findPhase } from '../phases/registry.js';
import { type PhaseCommandOptions, phaseCommand } from './phase-command.js';
import type { Terminal } from './terminal.js';

/** The phases the CLI offers as commands of their own, with their help examples. */
const PHASE_COMMANDS: Record<string, PhaseCommandOptions> = {
  'check-health': {
    attentionOutput: 'needs-dr',
    examples: [
      'standby check-health --publish-bucket my-publisher --publish-prefix batch --providers acme/daily,acme/hourly',
      'standby check-health --publish-bucket my-publisher --providers acme/daily --receipt-bucket my-receipts --json',
    ],
  },
  'restore-precheck': {
    examples: [
      'standby restore-precheck --backup-uri s3://my-backups/batch/backups/2026-11-21T0300Z',
      'standby restore-precheck --backup-uri s3://my-backups/batch/backups/2026-11-21T0300Z --max-backup-age-hours 30 --json',
    ],
  },
  sweep: {
    examples: [
      'standby sweep --state-bucket acme-standby-tfstate --lock-table standby-terraform-locks --repository acme/batch-dr --dry-run',
    ],
  },
  activate: {
    examples: [
      'standby activate --execution-id dr-123456789 --confirm dr-123456789 --receipt-bucket my-receipts',
      'standby activate --execution-id dr-123456789 --confirm dr-123456789 --receipt-bucket my-receipts --cronjobs jobintel-daily --json',
    ],
  },
};

export function phaseCli(name: string, term: Terminal): Command {
  const options = PHASE_COMMANDS[name];
  if (!options) throw new Error(`no CLI command for phase '${name}'`);
  return phaseCommand(findPhase(name), term, options);
}
