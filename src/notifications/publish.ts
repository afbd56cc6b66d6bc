import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from '../aws/clients.js';
import { sanitize } from '../receipts/sanitize.js';
import { type Notification, notificationSubject } from './message.js';

export interface Published {
  notified: boolean;
  messageId: string;
  subject: string;
}

/**
 * Publishes one notification to SNS (JSON body, event as a message attribute for subscription filters).
 * No topic → nothing is sent and the caller reports it. Secrets are stripped before anything leaves.
 */
export async function publishNotification(
  aws: AwsClients,
  topicArn: string | undefined,
  notification: Notification,
): Promise<Published> {
  const subject = notificationSubject(notification.event, notification.execution_id);
  if (!topicArn) return { notified: false, messageId: '', subject };
  const sns = aws.client('sns', (c) => new SNSClient(c));
  const answer = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject,
      Message: JSON.stringify(sanitize(notification)),
      MessageAttributes: {
        event: { DataType: 'String', StringValue: notification.event },
        execution_id: { DataType: 'String', StringValue: notification.execution_id },
      },
      ...(topicArn.endsWith('.fifo')
        ? {
            MessageGroupId: notification.execution_id,
            MessageDeduplicationId: `${notification.event}-${Date.parse(notification.sent_at)}`,
          }
        : {}),
    }),
  );
  return { notified: true, messageId: answer.MessageId ?? '', subject };
}
