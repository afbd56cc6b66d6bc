import type { PhaseDefinition } from '../phase.js';
import { escapeMarkdown, markdownTable } from '../summary.js';
import { type NotifyInputs, notifyInputs, parseNotifyInputs } from './inputs.js';
import { buildNotification } from './message.js';
import { type Published, publishNotification } from './publish.js';

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

/** Shared by every notifying phase: where the message went, or that no topic is configured. */
export function renderDelivery(
  published: Published,
  topicArn: string | undefined,
  details: Record<string, unknown>,
): string {
  const delivery = published.notified
    ? `Published to \`${topicArn}\` (message \`${published.messageId}\`).`
    : 'No SNS topic configured (`topic-arn` empty): nothing was sent. Set the `STANDBY_SNS_TOPIC_ARN` variable to notify people.';
  const rows = Object.entries(details).map(([key, value]) => [
    key,
    typeof value === 'string' ? value : JSON.stringify(value),
  ]);
  const table = rows.length > 0 ? `\n\n${markdownTable(['Detail', 'Value'], rows)}` : '';
  return `**${escapeMarkdown(published.subject)}**\n\n${delivery}${table}`;
}
