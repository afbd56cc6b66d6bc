import type { InputSpec } from '../../io/input-spec.js';
import { READY_MARKER } from '../../terraform/runner-contract.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseNumber } from '../../validation/primitives.js';

export const resolveRunnerInputs: Record<string, InputSpec> = {
  'instance-id': {
    description: "bringup's instance-id output. Empty: the one live runner tagged with this execution id.",
    default: '',
  },
  'agent-timeout-seconds': {
    description: 'How long to wait for the SSM agent to report Online.',
    default: '600',
  },
  'ready-timeout-seconds': {
    description: `How long to wait, once the agent is Online, for ${READY_MARKER} (k3s ready, tools installed).`,
    default: '1200',
  },
  'expiry-extension-minutes': {
    description: "Push the runner's standby-expires-at to at least now + this (it is never brought closer).",
    default: '120',
  },
};

export interface ResolveRunnerInputs {
  instanceId?: string;
  agentTimeoutSeconds: number;
  readyTimeoutSeconds: number;
  extensionMinutes: number;
}

export function parseResolveRunnerInputs(read: (name: string) => string): ResolveRunnerInputs {
  const given = read('instance-id').trim();
  return {
    instanceId: given === '' ? undefined : parseInstanceId('instance-id', given),
    agentTimeoutSeconds: parseNumber('agent-timeout-seconds', read('agent-timeout-seconds'), {
      min: 1,
      max: 3600,
      integer: true,
    }),
    readyTimeoutSeconds: parseNumber('ready-timeout-seconds', read('ready-timeout-seconds'), {
      min: 1,
      max: 7200,
      integer: true,
    }),
    extensionMinutes: parseNumber('expiry-extension-minutes', read('expiry-extension-minutes'), {
      min: 0,
      max: 60 * 24 * 45,
      integer: true,
    }),
  };
}
