import type { InputSpec } from '../../io/input-spec.js';
import { CRONJOB_NAME_MAX, parseDnsLabel } from '../../validation/dns1123.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseList, parseNumber } from '../../validation/primitives.js';

export const activateInputs: Record<string, InputSpec> = {
  confirm: {
    description: 'The execution id typed again: activation starts the standby publishing.',
    required: true,
  },
  'instance-id': { description: "The standby runner. Default: the execution's resolve-runner receipt." },
  namespace: { description: "Application namespace. Default: the execution's restore receipt." },
  cronjobs: {
    description:
      "CronJobs to un-suspend, comma-separated. Default: those the execution's restore created suspended.",
  },
  'timeout-seconds': { description: 'Wall-clock limit on the runner.', default: '300' },
};

export interface ActivateInputs {
  confirm: string;
  instanceId?: string;
  namespace?: string;
  cronjobs: string[];
  timeoutSeconds: number;
}

export function parseActivateInputs(read: (name: string) => string): ActivateInputs {
  const instance = read('instance-id').trim();
  const namespace = read('namespace').trim();
  return {
    confirm: read('confirm').trim(),
    ...(instance ? { instanceId: parseInstanceId('instance-id', instance) } : {}),
    ...(namespace ? { namespace: parseDnsLabel('namespace', namespace) } : {}),
    cronjobs: parseList(read('cronjobs')).map((name) => parseDnsLabel('cronjobs', name, CRONJOB_NAME_MAX)),
    timeoutSeconds: parseNumber('timeout-seconds', read('timeout-seconds'), {
      min: 30,
      max: 3600,
      integer: true,
    }),
  };
}
