import { renderDelivery } from '../../notifications/delivery.js';
import { buildNotification } from '../../notifications/message.js';
import { publishNotification } from '../../notifications/publish.js';
import type { PhaseDefinition } from '../phase.js';
import { type NotifyInputs, notifyInputs, parseNotifyInputs } from './inputs.js';

export const notify: PhaseDefinition<NotifyInputs> = {
  name: 'notify',
  title: 'Notify',
  description:
    'Publishes a structured DR notification (JSON message and subject) to SNS and the job summary.',
  branding: { icon: 'bell', color: 'yellow' },
  inputs: notifyInputs,
  outputs: {
    notified: { description: 'true when a message was published to SNS' },
    'message-id': { description: 'SNS message id ("" when nothing was sent)' },
    subject: { description: 'The subject line used' },
  },
  parseInputs: parseNotifyInputs,

  async run(inputs, ctx) {
    const notification = buildNotification(
      {
        event: inputs.event,
        execution_id: ctx.executionId,
        run_url: inputs.runUrl,
        summary: `standby ${inputs.event} for execution ${ctx.executionId}`,
        details: inputs.details,
      },
      ctx.now(),
    );
    const published = await publishNotification(ctx.aws, inputs.topicArn, notification);
    ctx.io.info(
      published.notified
        ? `published ${inputs.event} (${published.messageId})`
        : 'no topic-arn configured: nothing sent',
    );
    return {
      status: 'ok',
      outputs: {
        notified: published.notified,
        'message-id': published.messageId,
        subject: published.subject,
      },
      summary: renderDelivery(published, inputs.topicArn, inputs.details),
    };
  },
};
