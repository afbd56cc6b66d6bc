import { definePhase } from '../phase.js';
import { failureInputs, parseFailureInputs } from './inputs.js';

export const failure = definePhase({
  name: 'failure',
  pipeline: false,
  title: 'Failure report',
  description:
    'Names the failed phase, its error and reason, writes the failure receipt and sends a failure notification.',
  branding: { icon: 'alert-triangle', color: 'red' },
  inputs: failureInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).FailureOutputs,
  parseInputs: parseFailureInputs,
  load: () => import('./run.js'),
});
