import { z } from 'zod';
import { jsonObject } from '../output-fields.js';

export const ResolveRunnerOutputs = z.object({
  'instance-id': z.string().describe('The runner instance id'),
  'agent-status': z.string().describe('SSM agent PingStatus (Online on success)'),
  ready: z.boolean().describe('true when the ready marker was found'),
  'ready-marker': jsonObject.describe('The ready marker as JSON (k3s version, when it became ready)'),
  'expires-at': z.string().describe("The runner's expiry after the extension (RFC 3339 UTC)"),
});
export type ResolveRunnerOutput = z.output<typeof ResolveRunnerOutputs>;
