/** The structured SNS message every standby notification uses, so subscribers parse one shape. */
export const NOTIFICATION_SCHEMA = 'standby.notification/v1';

export const NOTIFY_EVENTS = ['validated', 'approved', 'rejected', 'failed', 'drill-complete'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** Events beyond notify's own: the reviewer summary and the failure path use their own names. */
export type NotificationEvent = NotifyEvent | 'approval-requested';

export interface Notification {
  schema: typeof NOTIFICATION_SCHEMA;
  event: NotificationEvent;
  execution_id: string;
  sent_at: string;
  run_url: string | null;
  summary: string;
  details: Record<string, unknown>;
}

const SUBJECT_PREFIX: Record<NotificationEvent, string> = {
  validated: 'DR standby validated',
  'approval-requested': 'DR promotion awaiting approval',
  approved: 'DR promotion approved',
  rejected: 'DR promotion rejected',
  failed: 'DR run FAILED',
  'drill-complete': 'DR drill complete',
};

/**
 * SNS subjects: ASCII, one line, under 100 characters. Each event has its own prefix, so a failure
 * notification can never be mistaken for (or thread over) a success one.
 */
export function notificationSubject(event: NotificationEvent, executionId: string): string {
  const subject = `[standby] ${SUBJECT_PREFIX[event]}: ${executionId}`;
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 99 ? `${ascii.slice(0, 98)}~` : ascii;
}

export function buildNotification(fields: Omit<Notification, 'schema' | 'sent_at'>, now: Date): Notification {
  return { schema: NOTIFICATION_SCHEMA, sent_at: now.toISOString(), ...fields };
}
