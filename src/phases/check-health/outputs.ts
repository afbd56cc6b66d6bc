import { z } from 'zod';
import { numberOrEmpty, stringList } from '../output-fields.js';

export const CheckHealthOutputs = z.object({
  'needs-dr': z.boolean().describe('true when any health signal failed'),
  proceed: z
    .boolean()
    .describe('true when the pipeline should go on (manual drill, or DR needed with triggers on)'),
  'proceed-reason': z.string().describe('Why the pipeline goes on or stops here'),
  'freshness-hours': numberOrEmpty.describe('Age of the last successful publish in hours ("" when unknown)'),
  'publish-correct': z.boolean().describe('true when every pair is published and consistent'),
  'global-run-id': z.string().describe('run_id of the global last_success.json ("" when unreadable)'),
  'pairs-checked': z.number().describe('How many provider/profile pairs were checked'),
  'publish-region': z.string().describe('Region the publish bucket was read in'),
  'metrics-published': stringList.describe('JSON array of the CloudWatch metrics published'),
  'metrics-error': z
    .string()
    .optional()
    .describe('Why CloudWatch PutMetricData failed (unset when the metrics were published)'),
  admission: z
    .enum(['admitted', 'dropped', 'unchecked'])
    .optional()
    .describe('What the real-DR admission decided (unset for drills)'),
  reasons: z
    .array(z.object({ code: z.string(), subject: z.string(), message: z.string() }))
    .describe('JSON array of {code, subject, message}'),
});
export type CheckHealthOutput = z.output<typeof CheckHealthOutputs>;
