import { definePhase } from '../phase.js';
import { parseRequestApprovalInputs, requestApprovalInputs } from './inputs.js';

export const requestApproval = definePhase({
  name: 'request-approval',
  pipeline: true,
  title: 'Request promotion approval',
  description:
    "Builds the reviewers' summary from the execution's receipts and sends it before the protected-environment gate.",
  branding: { icon: 'user-check', color: 'orange' },
  inputs: requestApprovalInputs,
  loadOutputSchema: async () => (await import('./outputs.js')).RequestApprovalOutputs,
  parseInputs: parseRequestApprovalInputs,
  load: () => import('./run.js'),
});
