import { z } from 'zod';
import { json, stringList } from '../output-fields.js';

export const ActivateOutputs = z.object({
  activated: stringList.describe('JSON list of CronJobs un-suspended'),
  'approved-by': z.string().describe('Who approved the promotion this activation relies on'),
  report: json.describe('The runner report (JSON)'),
  'ssm-command-id': z.string().describe('The SSM Run Command id that ran activate.sh'),
});
export type ActivateOutput = z.output<typeof ActivateOutputs>;
