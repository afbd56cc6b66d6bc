import { definePhase } from '../phase.js';
import { backupInputs, parseBackupInputs } from './inputs.js';

export const backup = definePhase({
  name: 'backup',
  pipeline: false,
  title: 'Back up state and manifests',
  description:
    'Packages a state directory and the manifests (a directory or a namespace export) into the backup contract: deterministic state.tar.zst and manifests.tar.zst, then metadata.json written last and once.',
  branding: { icon: 'archive', color: 'blue' },
  inputs: backupInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).BackupOutputs,
  parseInputs: (read) => parseBackupInputs(read),
  load: () => import('./run.js'),
});
