import { definePhase } from '../phase.js';
import { parseRestoreInputs, restoreInputs } from './inputs.js';

export const restore = definePhase({
  name: 'restore',
  title: 'Restore the backup on the runner',
  description:
    'Downloads, re-verifies and extracts the backup on the runner and applies its manifests to k3s, through SSM.',
  branding: { icon: 'download-cloud', color: 'green' },
  pipeline: true,
  inputs: restoreInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).RestoreOutputs,
  parseInputs: parseRestoreInputs,
  load: () => import('./run.js'),
});
