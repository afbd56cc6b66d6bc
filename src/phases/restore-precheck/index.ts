import { definePhase } from '../phase.js';
import { parseRestorePrecheckInputs, restorePrecheckInputs } from './inputs.js';

export const restorePrecheck = definePhase({
  name: 'restore-precheck',
  pipeline: true,
  title: 'Restore precheck',
  description:
    'Proves the backup is complete, intact and recent enough before any EC2 spend; given the backups prefix, takes the newest good backup.',
  branding: { icon: 'check-square', color: 'green' },
  inputs: restorePrecheckInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).RestorePrecheckOutputs,
  parseInputs: parseRestorePrecheckInputs,
  load: () => import('./run.js'),
});
