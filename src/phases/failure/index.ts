import { definePhase } from '../phase.js';
import { failureInputs, parseFailureInputs } from './inputs.js';
import { FailureOutputs } from './outputs.js';

export const failure = definePhase({
  name: 'failure',
  pipeline: false,
  title: 'Failure report',
  description:
    'Names the failed phase, its error and reason, writes the failure receipt and sends a failure notification.',
  branding: { icon: 'alert-triangle', color: 'red' },
  inputs: failureInputs,
  outputSchema: FailureOutputs,
  parseInputs: parseFailureInputs,
  load: () => import('./run.js'),
});
