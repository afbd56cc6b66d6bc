import type { InputSpec } from '../../io/input-spec.js';
import { CRONJOB_NAME_MAX, parseDnsLabel } from '../../validation/dns1123.js';
import { InputError, quoted } from '../../validation/errors.js';
import { type ImageRef, parseImageRef } from '../../validation/image-ref.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseBoolean, parseList, parseNumber } from '../../validation/primitives.js';

export const validateInputs: Record<string, InputSpec> = {
  'instance-id': { description: 'The runner (resolve-runner output instance-id).', required: true },
  namespace: {
    description: 'Application namespace; must already exist (validate never creates it).',
    required: true,
  },
  cronjobs: {
    description:
      'CronJob names that must exist (one per line, comma-separated or a JSON list, e.g. restore output cronjobs).',
    default: '',
  },
  'run-job': {
    description: 'Run one Job from job-cronjob with image-ref (true/false).',
    default: 'false',
    boolean: true,
  },
  'job-cronjob': { description: 'CronJob the validation Job is created from (required with run-job).' },
  'image-ref': {
    description: 'Image for the validation Job, pinned by digest: registry/repo@sha256:<64 hex>.',
  },
  'allow-image-tag': {
    description: 'Development only: accept image-ref with a tag instead of a digest (true/false).',
    default: 'false',
    boolean: true,
  },
  'job-timeout-seconds': {
    description: 'Wall-clock deadline for the validation Job (also its activeDeadlineSeconds).',
    default: '900',
  },
  'state-claim': {
    description:
      'The restored state claim (restore input state-claim): it must be Bound; the Job must mount it.',
  },
  'state-marker': {
    description:
      "The backup's state marker (restore-precheck output state-marker). With run-job, an init container reads it through the claim: the Job must have run on the restored state.",
  },
  'marker-image': {
    description:
      'Image of that init container, pinned by digest; it runs `cat`. Default: image-ref (which then needs `cat`).',
  },
  'expect-suspended': {
    description: 'Fail when a CronJob in the namespace is not suspended (true before activation).',
    default: 'true',
    boolean: true,
  },
  'ready-timeout-seconds': {
    description: 'How long the runner waits for the API, nodes and kube-system pods.',
    default: '300',
  },
};

export interface ValidateInputs {
  instanceId: string;
  namespace: string;
  cronjobs: string[];
  job?: { cronjob: string; image: ImageRef; timeoutSeconds: number; markerImage?: ImageRef };
  readyTimeoutSeconds: number;
  stateClaim?: string;
  stateMarker?: string;
  expectSuspended: boolean;
}

export function parseValidateInputs(read: (name: string) => string): ValidateInputs {
  const runJob = parseBoolean('run-job', read('run-job'), false);
  const timeoutSeconds = parseNumber('job-timeout-seconds', read('job-timeout-seconds'), {
    min: 10,
    max: 6 * 3600,
    integer: true,
  });
  let job: ValidateInputs['job'];
  if (runJob) {
    if (!read('job-cronjob').trim()) throw new InputError('job-cronjob', 'is required when run-job is true');
    if (!read('image-ref').trim())
      throw new InputError('image-ref', 'is required when run-job is true (registry/repo@sha256:<64 hex>)');
    const cronjob = parseDnsLabel('job-cronjob', read('job-cronjob'), CRONJOB_NAME_MAX);
    const allowTag = parseBoolean('allow-image-tag', read('allow-image-tag'), false);
    job = {
      cronjob,
      image: parseImageRef('image-ref', read('image-ref'), allowTag),
      timeoutSeconds,
      ...(read('marker-image').trim()
        ? { markerImage: parseImageRef('marker-image', read('marker-image'), allowTag) }
        : {}),
    };
  }
  const claim = read('state-claim').trim();
  const marker = read('state-marker').trim();
  if (marker && !/^[0-9a-f]{64}$/.test(marker))
    throw new InputError(
      'state-marker',
      `${quoted(marker)} is not a 64-hex marker (restore-precheck output state-marker)`,
    );
  if (marker && !claim) throw new InputError('state-claim', 'is required with state-marker');
  return {
    ...(claim ? { stateClaim: parseDnsLabel('state-claim', claim) } : {}),
    ...(marker ? { stateMarker: marker } : {}),
    expectSuspended: parseBoolean('expect-suspended', read('expect-suspended'), true),
    instanceId: parseInstanceId('instance-id', read('instance-id')),
    namespace: parseDnsLabel('namespace', read('namespace')),
    cronjobs: parseCronjobList(read('cronjobs')),
    job,
    readyTimeoutSeconds: parseNumber('ready-timeout-seconds', read('ready-timeout-seconds'), {
      min: 0,
      max: 3600,
      integer: true,
    }),
  };
}

/** Accepts the restore phase's JSON list output as well as a plain list. */
function parseCronjobList(raw: string): string[] {
  const value = raw.trim();
  let items: string[];
  if (value.startsWith('[')) {
    try {
      items = JSON.parse(value);
    } catch {
      throw new InputError('cronjobs', `${quoted(raw)} looks like JSON but does not parse`);
    }
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string'))
      throw new InputError('cronjobs', 'must be a JSON list of names');
  } else {
    items = parseList(value);
  }
  return [...new Set(items.map((item) => parseDnsLabel('cronjobs', item, CRONJOB_NAME_MAX)))];
}
