import { describe, expect, it } from '@jest/globals';
import { fromWorkflow } from '../../../src/io/input-spec.js';
import { NOTIFY_EVENTS, notificationSubject } from '../../../src/notifications/message.js';
import { parseNotifyInputs } from '../../../src/phases/notify/inputs.js';
import { parseTopicArn } from '../../../src/validation/notification.js';

describe('notification messages', () => {
  it('gives every event its own subject, so a failure never reads like (or replaces) a success', () => {
    const subjects = [...NOTIFY_EVENTS, 'approval-requested' as const].map((event) =>
      notificationSubject(event, 'drill-1'),
    );
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(notificationSubject('failed', 'drill-1')).toBe('[standby] DR run FAILED: drill-1');
  });

  it('keeps subjects within SNS limits (ASCII, one line, < 100 characters)', () => {
    const subject = notificationSubject('validated', 'x'.repeat(128));
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('validates event, details and topic', () => {
    const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    expect(parseNotifyInputs(read({ event: 'validated' })).topicArn).toBeUndefined();
    expect(() => parseNotifyInputs(read({ event: 'done' }))).toThrow("input 'event'");
    expect(() => parseNotifyInputs(read({ event: 'failed', details: '[1]' }))).toThrow("input 'details'");
    expect(
      parseNotifyInputs(read({ event: 'failed', 'run-url': `${fromWorkflow('github.server_url')}/x` }))
        .runUrl,
    ).toBeNull();
    expect(parseTopicArn('topic-arn', 'arn:aws:sns:eu-west-1:123456789012:standby-dr')).toBe(
      'arn:aws:sns:eu-west-1:123456789012:standby-dr',
    );
    expect(() => parseTopicArn('topic-arn', 'standby-dr')).toThrow("input 'topic-arn'");
  });
});
