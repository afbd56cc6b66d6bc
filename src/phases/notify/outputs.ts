import { z } from 'zod';
import { json } from '../output-fields.js';

export const NotifyOutputs = z.object({
  notified: z.boolean().describe('true when a message was published to SNS'),
  'message-id': z.string().describe('SNS message id ("" when nothing was sent)'),
  subject: z.string().describe('The subject line used'),
  cost: json.describe(
    "drill-complete: JSON object, the execution's cost from its receipts priced with the price table (status priced or unpriced with the reasons)",
  ),
});
export type NotifyOutput = z.output<typeof NotifyOutputs>;
