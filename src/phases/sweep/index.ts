import { definePhase } from '../phase.js';
import { parseSweepInputs, sweepInputs } from './inputs.js';

export const sweep = definePhase({
  name: 'sweep',
  pipeline: false,
  title: 'Sweep leaked runners',
  description:
    'Finds standby runners past their expiry or (drills) whose run is over, destroys them through their Terraform state (plain terminate when there is none), and clears state locks whose holder is gone.',
  branding: { icon: 'wind', color: 'gray-dark' },
  inputs: sweepInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).SweepOutputs,
  parseInputs: parseSweepInputs,
  load: () => import('./run.js'),
});
