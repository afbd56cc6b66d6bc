import { z } from 'zod';
import { json, numberOrEmpty } from '../output-fields.js';

export const RequestApprovalOutputs = z.object({
  'summary-json': json.describe(
    'The reviewer summary as JSON (instance, image, backup, validation, receipts, RTO, RPO)',
  ),
  'rto-seconds': numberOrEmpty.describe('Trigger → approval-ready, in seconds ("" when unknown)'),
  'rpo-hours': numberOrEmpty.describe('Backup age at restore, in hours ("" when unknown)'),
  notified: z.boolean().describe('true when the summary was published to SNS'),
});
export type RequestApprovalOutput = z.output<typeof RequestApprovalOutputs>;
