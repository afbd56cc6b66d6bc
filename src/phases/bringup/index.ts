import { definePhase } from '../phase.js';
import { bringupInputs, parseBringupInputs } from './inputs.js';

export const bringup = definePhase({
  name: 'bringup',
  pipeline: true,
  title: 'Bring up the DR runner',
  description:
    "Creates this execution's k3s ARM runner with Terraform against its own state key in the locked S3 backend: plan -out, then apply exactly that plan.",
  branding: { icon: 'server', color: 'orange' },
  inputs: bringupInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).BringupOutputs,
  parseInputs: parseBringupInputs,
  load: () => import('./run.js'),
});
