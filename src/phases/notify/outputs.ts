import { z } from 'zod';

export const NotifyOutputs = z.object({
  notified: z.boolean().describe('true when a message was published to SNS'),
  'message-id': z.string().describe('SNS message id ("" when nothing was sent)'),
  subject: z.string().describe('The subject line used'),
});
export type NotifyOutput = z.output<typeof NotifyOutputs>;
