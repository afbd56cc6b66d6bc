import { InputError } from '../../validation/errors.js';
import { parseJsonObject, parseTopicArn } from '../../validation/notification.js';
import type { InputSpec } from '../phase.js';
import { fromWorkflow, isUnevaluated } from '../workflow-default.js';
import { NOTIFY_EVENTS, type NotifyEvent } from './message.js';

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
  if (!/^https?:\/\/[^\s]+$/.test(value)) throw new InputError('run-url', `'${raw}' is not an http(s) URL`);
  return value;
}

export const notifyInputs: Record<string, InputSpec> = {
  event: { description: `What happened: ${NOTIFY_EVENTS.join(' | ')}.`, required: true },
  details: {
    description: 'JSON object with anything subscribers should see (ids, links, results).',
    default: '',
  },
  ...notificationInputs,
};

export interface NotifyInputs extends NotificationTarget {
  event: NotifyEvent;
  details: Record<string, unknown>;
}

export function parseNotifyInputs(read: (name: string) => string): NotifyInputs {
  const event = read('event').trim();
  if (!(NOTIFY_EVENTS as readonly string[]).includes(event)) {
    throw new InputError('event', `'${event}' is not one of ${NOTIFY_EVENTS.join(', ')}`);
  }
  return {
    event: event as NotifyEvent,
    details: parseJsonObject('details', read('details')),
    ...parseNotificationTarget(read),
  };
}
