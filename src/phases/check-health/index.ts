import { definePhase } from '../phase.js';
import { checkHealthInputs, parseCheckHealthInputs } from './inputs.js';

export const checkHealth = definePhase({
  name: 'check-health',
  pipeline: true,
  title: 'Check publishing health',
  description:
    'Measures publish freshness and correctness for every provider/profile pair and decides whether DR is needed.',
  branding: { icon: 'activity', color: 'blue' },
  inputs: checkHealthInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).CheckHealthOutputs,
  parseInputs: parseCheckHealthInputs,
  load: () => import('./run.js'),
});
