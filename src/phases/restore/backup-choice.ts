import {
  type BackupLocation,
  type BackupPrefix,
  type BackupTarget,
  parseBackupUri,
} from '../../backup/layout.js';
import type { Receipt } from '../../receipts/envelope.js';
import { latestReceipt, outputsOf } from '../../receipts/outputs.js';
import { InputError, quoted } from '../../validation/errors.js';
import { joinKey } from '../../validation/primitives.js';

export interface BackupChoice {
  backup: BackupLocation;
  /** Where the choice came from: the execution's restore-precheck receipt, or the input (receipts off). */
  source: 'restore-precheck' | 'input';
}

/**
 * Which backup restore sends to the runner. With the execution's receipts, exactly the one restore-precheck
 * checked and recorded: a newer backup written since is not the one proven, so the `backup-uri` input may
 * only name that backup or the prefix it was chosen from. Without receipts there is no record to follow,
 * so the input must name one backup. restore-precheck's output schema (zod) loads only here, as restore
 * runs (issue 24.4: a phase starts without zod).
 */
export async function chooseBackup(
  given: BackupTarget | undefined,
  receipts: Receipt[] | undefined,
): Promise<BackupChoice> {
  if (receipts === undefined) {
    if (given?.kind !== 'one')
      throw new InputError(
        'backup-uri',
        given
          ? `'${given.prefix.uri}' is the backups prefix; without receipts restore has no precheck choice to follow: give one backup .../backups/<backup_id>`
          : 'is required when no receipt-bucket is given (restore otherwise follows restore-precheck’s receipt)',
      );
    return { backup: given.backup, source: 'input' };
  }
  const precheck = latestReceipt(receipts, 'restore-precheck');
  const { RestorePrecheckOutputs } = await import('../restore-precheck/outputs.js');
  const recorded = outputsOf(RestorePrecheckOutputs, precheck?.status === 'ok' ? precheck : undefined)[
    'backup-uri'
  ];
  if (!recorded)
    throw new InputError(
      'backup-uri',
      `this execution has no ${precheck ? 'successful ' : ''}restore-precheck receipt naming a backup: restore restores only what precheck proved (run restore-precheck first)`,
    );
  const chosen = parseBackupUri('backup-uri', recorded);
  if (given?.kind === 'one' && given.backup.uri !== chosen.uri)
    throw new InputError(
      'backup-uri',
      `${quoted(given.backup.uri)} is not the backup restore-precheck checked (${chosen.uri}): the runner restores only that one`,
    );
  const underPrefix = (prefix: BackupPrefix) =>
    prefix.bucket === chosen.bucket && chosen.folder === joinKey(prefix.root, chosen.backupId);
  if (given?.kind === 'prefix' && !underPrefix(given.prefix))
    throw new InputError(
      'backup-uri',
      `restore-precheck chose ${chosen.uri}, which is not under ${quoted(given.prefix.uri)}`,
    );
  return { backup: chosen, source: 'restore-precheck' };
}
