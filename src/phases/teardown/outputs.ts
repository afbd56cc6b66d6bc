import { z } from 'zod';

export const TeardownOutputs = z.object({
  destroyed: z.boolean().describe('true when terraform destroyed the runner'),
  'state-key': z.string().describe('The state key that was destroyed (the one bringup recorded)'),
  leftovers: z
    .array(z.object({ kind: z.string(), id: z.string(), detail: z.string().optional() }))
    .nullable()
    .describe(
      'JSON list of {kind, id, detail} still tagged with the execution ([] when clean, null when not verified)',
    ),
  'plan-sha256': z.string().describe('sha256 of the saved destroy plan that was applied'),
  'terraform-version': z.string().describe('Version of the terraform that ran the destroy (the pinned one)'),
});
export type TeardownOutput = z.output<typeof TeardownOutputs>;
