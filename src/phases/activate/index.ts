import { definePhase } from '../phase.js';
import { activateInputs, parseActivateInputs } from './inputs.js';

export const activate = definePhase({
  name: 'activate',
  title: 'Activate the standby',
  description:
    "Un-suspends the restored CronJobs on the standby through SSM, only after the execution's promotion was approved. A separate, receipted human act.",
  branding: { icon: 'play-circle', color: 'red' },
  pipeline: false,
  inputs: activateInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).ActivateOutputs,
  parseInputs: parseActivateInputs,
  load: () => import('./run.js'),
});
