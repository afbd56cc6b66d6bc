import type { InputSpec } from '../../io/input-spec.js';
import { fromWorkflow } from '../../io/input-spec.js';
import {
  type NotificationTarget,
  notificationInputs,
  parseNotificationTarget,
} from '../../notifications/target.js';
import { InputError, quoted } from '../../validation/errors.js';
import type { JobResult } from './diagnose.js';

export const failureInputs: Record<string, InputSpec> = {
  'failed-phase': {
    description: 'The phase that failed. Default: the first failed job in job-results.',
    default: '',
  },
  'job-results': {
    description: `JSON of the needs context (${fromWorkflow('toJSON(needs)')}): each job's result and outputs.`,
    required: true,
  },
  ...notificationInputs,
};

export interface FailureInputs extends NotificationTarget {
  failedPhase?: string;
  jobResults: Record<string, JobResult>;
}

export function parseFailureInputs(read: (name: string) => string): FailureInputs {
  const failedPhase = read('failed-phase').trim();
  if (failedPhase && !/^[a-z0-9-]{1,64}$/.test(failedPhase)) {
    throw new InputError('failed-phase', `${quoted(failedPhase)} is not a phase or job name`);
  }
  return {
    failedPhase: failedPhase || undefined,
    jobResults: parseJobResults(read('job-results')),
    ...parseNotificationTarget(read),
  };
}

function parseJobResults(raw: string): Record<string, JobResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InputError('job-results', `is not valid JSON; pass ${fromWorkflow('toJSON(needs)')}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError('job-results', 'must be the JSON object of the needs context');
  }
  const results: Record<string, JobResult> = {};
  for (const [job, value] of Object.entries(parsed)) {
    const result = (value as { result?: unknown })?.result;
    if (typeof result !== 'string') throw new InputError('job-results', `job ${quoted(job)} has no result`);
    const outputs = (value as { outputs?: Record<string, string> }).outputs;
    results[job] = { result, outputs: outputs && typeof outputs === 'object' ? outputs : {} };
  }
  return results;
}
