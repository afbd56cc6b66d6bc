import { z } from 'zod';
import { json, stringList } from '../output-fields.js';

export const ActivateOutputs = z.object({
  activated: stringList.describe('JSON list of CronJobs un-suspended'),
  'approved-by': z.string().describe('Who approved the promotion this activation relies on'),
  serving: z.boolean().describe('true when the runner became the serving standby (no expiry, never swept)'),
  report: json.describe('The runner report (JSON)'),
  'ssm-command-id': z.string().describe('The SSM Run Command id that ran activate.sh'),
});
export type ActivateOutput = z.output<typeof ActivateOutputs>;
