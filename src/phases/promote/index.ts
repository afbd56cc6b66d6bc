import { definePhase } from '../phase.js';
import { parsePromoteInputs, promoteInputs } from './inputs.js';

export const promote = definePhase({
  name: 'promote',
  pipeline: true,
  title: 'Promotion decision',
  description:
    'Records who approved or rejected promotion at the gate, and their comment. Changes no infrastructure.',
  branding: { icon: 'check-square', color: 'green' },
  inputs: promoteInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).PromoteOutputs,
  parseInputs: parsePromoteInputs,
  load: () => import('./run.js'),
});
