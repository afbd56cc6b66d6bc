import { definePhase } from '../phase.js';
import { parseValidateInputs, validateInputs } from './inputs.js';

export const validate = definePhase({
  name: 'validate',
  title: 'Validate the restored runner',
  description:
    'Checks k3s, nodes, kube-system pods, the namespace and the restored CronJobs on the runner, and optionally runs a digest-pinned Job, through SSM.',
  branding: { icon: 'check-circle', color: 'green' },
  pipeline: true,
  inputs: validateInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).ValidateOutputs,
  parseInputs: parseValidateInputs,
  load: () => import('./run.js'),
});
