import type { InputSpec } from '../../io/input-spec.js';
import { NOTIFY_EVENTS, type NotifyEvent } from '../../notifications/message.js';
import {
  type NotificationTarget,
  notificationInputs,
  parseNotificationTarget,
} from '../../notifications/target.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseJsonObject } from '../../validation/notification.js';

export const notifyInputs: Record<string, InputSpec> = {
  event: { description: `What happened: ${NOTIFY_EVENTS.join(' | ')}.`, required: true },
  details: {
    description: 'JSON object with anything subscribers should see (ids, links, results).',
    default: '',
  },
  'price-table': {
    description:
      "drill-complete: a price table file shaped like src/cost/prices.json to price the drill's cost with; empty uses the pinned table.",
    default: '',
  },
  ...notificationInputs,
};

export interface NotifyInputs extends NotificationTarget {
  event: NotifyEvent;
  details: Record<string, unknown>;
  /** drill-complete: the price table file to price the cost with (undefined: the pinned one). */
  priceTable?: string;
}

export function parseNotifyInputs(read: (name: string) => string): NotifyInputs {
  const event = read('event').trim();
  if (!(NOTIFY_EVENTS as readonly string[]).includes(event)) {
    throw new InputError('event', `${quoted(event)} is not one of ${NOTIFY_EVENTS.join(', ')}`);
  }
  return {
    event: event as NotifyEvent,
    details: parseJsonObject('details', read('details')),
    priceTable: read('price-table').trim() || undefined,
    ...parseNotificationTarget(read),
  };
}
