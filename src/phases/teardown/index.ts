import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { TerraformCli } from '../../terraform/cli.js';
import { planAndApply } from '../../terraform/plan-apply.js';
import { describeError } from '../../util/errors.js';
import type { PhaseContext, PhaseDefinition } from '../phase.js';
import { parseTeardownInputs, type TeardownInputs, teardownInputs } from './inputs.js';
import { describeLeftovers, findLeftovers, type Leftover } from './leftovers.js';
import { report } from './report.js';
import { bringupState, stateMismatch } from './same-state.js';

export const teardown: PhaseDefinition<TeardownInputs> = {
  name: 'teardown',
  title: 'Tear down the DR runner',
  description:
    'Destroys the runner with the state key bringup used (plan -destroy -out, apply that plan), then verifies nothing tagged is left.',
  branding: { icon: 'trash-2', color: 'red' },
  inputs: teardownInputs,
  outputs: {
    destroyed: { description: 'true when terraform destroyed the runner' },
    leftovers: {
      description:
        'JSON list of {kind, id, detail} still tagged as the runner ([] when clean, null when not verified)',
    },
    'plan-sha256': { description: 'sha256 of the saved destroy plan that was applied' },
    'terraform-version': { description: 'Version of the terraform that ran the destroy (the pinned one)' },
  },
  parseInputs: parseTeardownInputs,

  async run(inputs, ctx) {
    const backend = { ...inputs.backend, region: inputs.backend.region ?? ctx.aws.region };
    const mismatch = stateMismatch(bringupState((await ctx.receipts?.list()) ?? []), backend);
    if (mismatch)
      return {
        status: 'failed',
        outputs: {},
        summary: '',
        failure: { message: mismatch, reason: 'state_key_mismatch' },
      };
    ctx.io.info(`Destroying with state s3://${backend.bucket}/${backend.key} locked by ${backend.lockTable}`);
    const terraform = new TerraformCli({
      workingDirectory: inputs.workingDirectory,
      log: (line) => ctx.io.info(line),
    });
    let applied: { planSha256: string; terraformVersion: string } = { planSha256: '', terraformVersion: '' };
    let destroyError: string | undefined;
    try {
      applied = await planAndApply(terraform, {
        workingDirectory: inputs.workingDirectory,
        backend,
        vars: inputs.vars,
        destroy: true,
      });
    } catch (error) {
      destroyError = describeError(error);
    }
    // Verify even after a failed destroy: the operator needs to know what is left to clean up by hand.
    const leftovers = inputs.verify ? await verify(inputs, ctx) : null;
    return report(destroyError, applied, leftovers, inputs);
  },
};

async function verify(inputs: TeardownInputs, ctx: PhaseContext): Promise<Leftover[]> {
  const region = inputs.runnerRegion ?? ctx.aws.region;
  const ec2 = ctx.aws.client(`ec2:${region}`, (c) => new EC2Client({ ...c, region }));
  const iam = ctx.aws.client('iam', (c) => new IAMClient(c));
  const leftovers = await findLeftovers(ec2, iam, inputs.tags);
  ctx.io.info(
    leftovers.length
      ? `left behind: ${describeLeftovers(leftovers)}`
      : 'verified: no tagged runner resources remain',
  );
  return leftovers;
}
