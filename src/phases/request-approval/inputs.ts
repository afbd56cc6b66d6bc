import { parseEnvironmentName } from '../../github/repository.js';
import type { InputSpec } from '../../io/input-spec.js';
import {
  type NotificationTarget,
  notificationInputs,
  parseNotificationTarget,
} from '../../notifications/target.js';
import { parseIsoTimestamp } from '../../util/time.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseImageRef } from '../../validation/image-ref.js';
import { parseJsonObject } from '../../validation/notification.js';

export const requestApprovalInputs: Record<string, InputSpec> = {
  environment: {
    description: 'Protected environment whose reviewers decide on promotion.',
    default: 'dr-promotion',
  },
  'image-ref': {
    description:
      'Application image the standby runs (registry/repo@sha256:<digest>). Default: the one validate used.',
    default: '',
  },
  'release-metadata': {
    description: 'JSON object describing the release (version, commit, change ticket, ...).',
    default: '',
  },
  'triggered-at': {
    description:
      'When DR was triggered (ISO-8601, e.g. the alarm time); the RTO clock starts here. Default: the first receipt.',
    default: '',
  },
  ...notificationInputs,
};

export interface RequestApprovalInputs extends NotificationTarget {
  environment: string;
  imageRef?: string;
  releaseMetadata: Record<string, unknown>;
  triggeredAt?: Date;
}

export function parseRequestApprovalInputs(read: (name: string) => string): RequestApprovalInputs {
  const rawTrigger = read('triggered-at').trim();
  const triggeredAt = rawTrigger ? parseIsoTimestamp(rawTrigger) : undefined;
  if (rawTrigger && !triggeredAt)
    throw new InputError('triggered-at', `${quoted(rawTrigger)} is not an ISO-8601 timestamp`);
  return {
    environment: parseEnvironmentName('environment', read('environment')),
    imageRef: parseOptionalImageRef(read('image-ref')),
    releaseMetadata: parseJsonObject('release-metadata', read('release-metadata')),
    triggeredAt,
    ...parseNotificationTarget(read),
  };
}

/** Optional here, and a tag is accepted: reviewers are shown that the image is not pinned by digest. */
function parseOptionalImageRef(raw: string): string | undefined {
  return raw.trim() === '' ? undefined : parseImageRef('image-ref', raw, true).ref;
}

/** The sha256 digest of a pinned reference, or undefined when the reference is only a tag. */
export function imageDigest(imageRef: string | undefined): string | undefined {
  return imageRef ? /@(sha256:[0-9a-f]{64})$/.exec(imageRef)?.[1] : undefined;
}
