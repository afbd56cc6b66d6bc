import type { Command } from 'commander';
import { findPhase } from '../../phases/registry.js';
import { phaseCommand } from '../phase-command.js';
import type { Terminal } from '../terminal.js';
import { verifyCommand } from './backup-verify.js';

/**
 * `standby backup` (the backup phase) and `standby backup prune` (backup-prune), both built from the
 * phases' own input specs, so the flags, defaults and receipts are the actions'; `standby backup verify`
 * checks one backup's signature and artifacts.
 */
export function backupCommand(term: Terminal): Command {
  const backup = phaseCommand(findPhase('backup'), term, {
    examples: [
      'standby backup --backup-uri s3://my-backups/prod/backups/ --state-dir /var/lib/jobintel --manifests-dir ./k8s',
      'standby backup --backup-uri s3://my-backups/prod/backups/ --state-dir /var/lib/jobintel --namespace jobintel --kms-key-id alias/backups --receipt-bucket my-receipts',
    ],
  });
  const prune = phaseCommand(findPhase('backup-prune'), term, {
    examples: [
      'standby backup prune --backup-uri s3://my-backups/prod/backups/ --receipt-bucket my-receipts',
      'standby backup prune --backup-uri s3://my-backups/prod/backups/ --keep-daily 14 --keep-weekly 8 --apply --receipt-bucket my-receipts',
    ],
  })
    .name('prune')
    .exitOverride()
    .configureOutput({ writeOut: (s) => term.out(s.trimEnd()), writeErr: (s) => term.err(s.trimEnd()) });
  // Options after `prune` are prune's own (both commands take --backup-uri and the common inputs).
  // `verify` is the CLI's own (no phase, no receipt): it reads and checks, and changes nothing.
  // `backup` runs a phase itself and has subcommands, so commander adds no `help` subcommand on its own:
  // without one, `standby backup help` was taken as an argument ("too many arguments").
  return backup.enablePositionalOptions().addCommand(prune).addCommand(verifyCommand(term)).helpCommand(true);
}
