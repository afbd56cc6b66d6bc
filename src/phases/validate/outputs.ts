import { z } from 'zod';
import { json } from '../output-fields.js';

export const ValidateOutputs = z.object({
  result: z.enum(['passed', 'failed']).describe('passed or failed'),
  'job-run-id': z.string().describe('uid of the validation Job ("" when none ran)'),
  report: json.describe('The runner report (JSON)'),
  'ssm-command-id': z.string().describe('The SSM Run Command id that ran validate.sh'),
});
export type ValidateOutput = z.output<typeof ValidateOutputs>;
