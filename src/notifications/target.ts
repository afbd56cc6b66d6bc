import type { InputSpec } from '../io/input-spec.js';
import { fromWorkflow, isUnevaluated } from '../io/input-spec.js';
import { InputError, quoted } from '../validation/errors.js';
import { parseTopicArn } from '../validation/notification.js';

/** Inputs shared by every phase that sends a notification (notify, request-approval, failure). */
export const notificationInputs: Record<string, InputSpec> = {
  'topic-arn': {
    description: 'SNS topic for notifications. Empty: nothing is sent, and the summary says so.',
    default: '',
  },
  'run-url': {
    description: 'Link to the workflow run, included in the notification.',
    default: `${fromWorkflow('github.server_url')}/${fromWorkflow('github.repository')}/actions/runs/${fromWorkflow('github.run_id')}`,
  },
};

export interface NotificationTarget {
  topicArn?: string;
  runUrl: string | null;
}

export function parseNotificationTarget(read: (name: string) => string): NotificationTarget {
  return { topicArn: parseTopicArn('topic-arn', read('topic-arn')), runUrl: parseRunUrl(read('run-url')) };
}

/** Outside Actions the default expression is not evaluated; that simply means "no link". */
function parseRunUrl(raw: string): string | null {
  const value = raw.trim();
  if (value === '' || isUnevaluated(value)) return null;
  if (!/^https?:\/\/[^\s]+$/.test(value))
    throw new InputError('run-url', `${quoted(raw)} is not an http(s) URL`);
  return value;
}
