import { renderDelivery } from '../../notifications/delivery.js';
import { buildNotification } from '../../notifications/message.js';
import { publishNotification } from '../../notifications/publish.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import type { NotifyInputs } from './inputs.js';
import type { NotifyOutput } from './outputs.js';

export async function run(inputs: NotifyInputs, ctx: PhaseContext): Promise<PhaseResult<NotifyOutput>> {
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
}
