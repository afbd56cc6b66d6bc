import { z } from 'zod';
import { jsonArray } from '../output-fields.js';

export const SweepOutputs = z.object({
  runners: jsonArray.describe('JSON list: each standby runner found, the verdict, why, and what was done'),
  states: jsonArray.describe('JSON list: leftover states (their runner gone) and what was done with them'),
  locks: jsonArray.describe('JSON list: state locks found, whether stale, whether cleared'),
  destroyed: z.number().describe('How many runners or leftover states were removed'),
  'dry-run': z.boolean().describe('true when nothing was changed (dry-run)'),
});
export type SweepOutput = z.output<typeof SweepOutputs>;
