import { z } from 'zod';

export const FailureOutputs = z.object({
  notified: z.boolean().describe('true when the failure notification was published to SNS'),
  'failed-phase': z.string().describe('The phase that failed'),
  reason: z.string().describe('Machine-readable reason (from the failed receipt, or job_failed)'),
  message: z.string().describe('The error message'),
});
export type FailureOutput = z.output<typeof FailureOutputs>;
