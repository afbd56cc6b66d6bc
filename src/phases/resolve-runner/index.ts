import { definePhase } from '../phase.js';
import { parseResolveRunnerInputs, resolveRunnerInputs } from './inputs.js';

export const resolveRunner = definePhase({
  name: 'resolve-runner',
  title: 'Resolve the DR runner',
  description:
    'Takes the instance bringup created for this execution (its tags only as a cross-check), extends its expiry, and waits for its SSM agent and for the ready marker user data writes last.',
  branding: { icon: 'search', color: 'purple' },
  pipeline: true,
  inputs: resolveRunnerInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).ResolveRunnerOutputs,
  parseInputs: parseResolveRunnerInputs,
  load: () => import('./run.js'),
});
