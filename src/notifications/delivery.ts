import { escapeMarkdown, markdownTable } from '../util/markdown.js';
import type { Published } from './publish.js';

/** The summary lines every notifying phase shows: where the message went, or that no topic is configured. */
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
