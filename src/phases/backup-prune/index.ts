import { definePhase } from '../phase.js';
import { backupPruneInputs, parsePruneInputs } from './inputs.js';

export const backupPrune = definePhase({
  name: 'backup-prune',
  pipeline: false,
  title: 'Prune backups',
  description:
    'Applies the retention policy (N daily, M weekly) to the backups prefix; never deletes the newest good backup or one an open DR execution uses. Dry run unless apply.',
  branding: { icon: 'trash-2', color: 'orange' },
  inputs: backupPruneInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).BackupPruneOutputs,
  parseInputs: parsePruneInputs,

  load: () => import('./run.js'),
});
