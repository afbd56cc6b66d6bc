import { definePhase } from '../phase.js';
import { parseTeardownInputs, teardownInputs } from './inputs.js';

export const teardown = definePhase({
  name: 'teardown',
  pipeline: true,
  title: 'Tear down the DR runner',
  description:
    "Destroys exactly the state this execution's bringup recorded (plan -destroy -out, apply that plan), then verifies nothing tagged with the execution is left.",
  branding: { icon: 'trash-2', color: 'red' },
  inputs: teardownInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).TeardownOutputs,
  parseInputs: parseTeardownInputs,
  load: () => import('./run.js'),
});
