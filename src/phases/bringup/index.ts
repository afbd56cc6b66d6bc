import { TerraformCli } from '../../terraform/cli.js';
import {
  parseTerraformRunInputs,
  type TerraformRunInputs,
  terraformRunInputs,
} from '../../terraform/phase-inputs.js';
import { planAndApply } from '../../terraform/plan-apply.js';
import type { PlannedChange } from '../../terraform/plan-changes.js';
import { describeError } from '../../util/errors.js';
import { parseBoolean } from '../../validation/primitives.js';
import type { PhaseDefinition } from '../phase.js';
import { markdownTable } from '../summary.js';

interface BringupInputs extends TerraformRunInputs {
  planOnly: boolean;
}

export const bringup: PhaseDefinition<BringupInputs> = {
  name: 'bringup',
  title: 'Bring up the DR runner',
  description:
    'Creates the k3s ARM runner with Terraform against the locked S3 backend: plan -out, then apply exactly that plan.',
  branding: { icon: 'server', color: 'orange' },
  inputs: {
    ...terraformRunInputs,
    'plan-only': {
      description: 'Plan-only drill: plan and record the changes, apply nothing (true/false).',
      default: 'false',
      boolean: true,
    },
  },
  outputs: {
    'instance-id': { description: 'EC2 instance id of the runner' },
    'plan-sha256': { description: 'sha256 of the saved plan file that was applied' },
    'terraform-outputs': { description: 'JSON object of the non-sensitive Terraform outputs' },
    'planned-changes': { description: 'plan-only: JSON list of {address, actions} the plan would change' },
    'terraform-version': { description: 'Version of the terraform that applied the plan (the pinned one)' },
  },
  parseInputs: (read) => ({
    ...parseTerraformRunInputs(read),
    planOnly: parseBoolean('plan-only', read('plan-only'), false),
  }),

  async run(inputs, ctx) {
    const backend = { ...inputs.backend, region: inputs.backend.region ?? ctx.aws.region };
    ctx.io.info(
      `Terraform in ${inputs.workingDirectory}, state s3://${backend.bucket}/${backend.key} locked by ${backend.lockTable}`,
    );
    const terraform = new TerraformCli({
      workingDirectory: inputs.workingDirectory,
      log: (line) => ctx.io.info(line),
    });
    let applied: Awaited<ReturnType<typeof planAndApply>>;
    try {
      applied = await planAndApply(terraform, {
        workingDirectory: inputs.workingDirectory,
        backend,
        vars: inputs.vars,
        planOnly: inputs.planOnly,
      });
    } catch (error) {
      return {
        status: 'failed',
        outputs: {},
        summary: '',
        failure: { message: describeError(error), reason: 'terraform_failed' },
      };
    }
    if (applied.changes) return planOnlyResult(applied.terraformVersion, applied.planSha256, applied.changes);
    const { values, withheld } = applied.outputs;
    const instanceId = values.instance_id;
    const outputs = {
      'plan-sha256': applied.planSha256,
      'terraform-outputs': values,
      'terraform-version': applied.terraformVersion,
    };
    if (typeof instanceId !== 'string' || !/^i-[0-9a-f]{8,17}$/.test(instanceId)) {
      const message = `the applied configuration has no instance_id output naming an EC2 instance (got ${JSON.stringify(instanceId ?? null)})`;
      return { status: 'failed', outputs, summary: '', failure: { message, reason: 'no_instance' } };
    }
    const rows = [
      ['Instance', instanceId],
      ['Plan sha256', applied.planSha256],
      ['Terraform', applied.terraformVersion],
      ['State', `s3://${backend.bucket}/${backend.key}`],
      ['Sensitive outputs withheld', withheld.length ? withheld.join(', ') : 'none'],
    ];
    return {
      status: 'ok',
      outputs: { 'instance-id': instanceId, ...outputs },
      summary: markdownTable(['Item', 'Value'], rows),
    };
  },
};

/** A plan-only bringup: the plan is receipted and nothing is applied, so there is no instance. */
function planOnlyResult(terraformVersion: string, planSha256: string, changes: PlannedChange[]) {
  const rows = changes.map((change) => [change.address, change.actions.join(', ')]);
  return {
    status: 'ok' as const,
    outputs: {
      'plan-only': true,
      'plan-sha256': planSha256,
      'planned-changes': changes,
      'terraform-version': terraformVersion,
    },
    summary: `Plan only: nothing was applied.\n\n${markdownTable(['Resource', 'Planned'], rows.length ? rows : [['(none)', 'no changes']])}`,
  };
}
