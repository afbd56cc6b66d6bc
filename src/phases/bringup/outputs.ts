import { z } from 'zod';
import { jsonArray, jsonObject } from '../output-fields.js';

export const BringupOutputs = z.object({
  'instance-id': z.string().describe('EC2 instance id of the runner (resolve-runner takes it)'),
  'runner-name': z.string().describe('Name tag of the runner, derived from the execution id'),
  'state-key': z
    .string()
    .describe("This execution's Terraform state key (teardown destroys exactly this state)"),
  'expires-at': z
    .string()
    .describe('When the runner terminates itself unless a phase extends it (RFC 3339 UTC)'),
  kind: z.enum(['drill', 'dr']).describe('drill or dr'),
  'module-vars': z
    .record(z.string(), z.string())
    .describe('JSON object of the variables bringup injected into the runner module'),
  'plan-sha256': z.string().describe('sha256 of the saved plan file that was applied'),
  'terraform-outputs': jsonObject.describe('JSON object of the non-sensitive Terraform outputs'),
  'plan-only': z.boolean().describe('true for a plan-only bringup: planned, nothing applied'),
  'planned-changes': jsonArray.describe('plan-only: JSON list of {address, actions} the plan would change'),
  'instance-type': z
    .string()
    .describe("The runner's EC2 instance type (Terraform output instance_type; the drill's cost prices it)"),
  'root-volume-gb': z
    .number()
    .describe(
      "Size of the runner's gp3 root volume in GB (Terraform output root_volume_size_gb; priced in the cost)",
    ),
  'terraform-version': z.string().describe('Version of the terraform that applied the plan (the pinned one)'),
});
export type BringupOutput = z.output<typeof BringupOutputs>;
