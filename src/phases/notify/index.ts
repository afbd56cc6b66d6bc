import { definePhase } from '../phase.js';
import { notifyInputs, parseNotifyInputs } from './inputs.js';

export const notify = definePhase({
  name: 'notify',
  pipeline: true,
  title: 'Notify',
  description:
    'Publishes a structured DR notification (JSON message and subject) to SNS and the job summary.',
  branding: { icon: 'bell', color: 'yellow' },
  inputs: notifyInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).NotifyOutputs,
  parseInputs: parseNotifyInputs,
  load: () => import('./run.js'),
});
