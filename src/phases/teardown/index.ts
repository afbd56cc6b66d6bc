import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { TerraformCli } from '../../terraform/cli.js';
import { planAndApply } from '../../terraform/plan-apply.js';
import { describeError } from '../../util/errors.js';
import type { PhaseContext, PhaseDefinition, PhaseResult } from '../phase.js';
import { markdownTable } from '../summary.js';
import { parseTeardownInputs, type TeardownInputs, teardownInputs } from './inputs.js';
import { describeLeftovers, findLeftovers, type Leftover } from './leftovers.js';

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
  },
  parseInputs: parseTeardownInputs,

  async run(inputs, ctx) {
    const backend = { ...inputs.backend, region: inputs.backend.region ?? ctx.aws.region };
    ctx.io.info(`Destroying with state s3://${backend.bucket}/${backend.key} locked by ${backend.lockTable}`);
    const terraform = new TerraformCli({
      workingDirectory: inputs.workingDirectory,
      log: (line) => ctx.io.info(line),
    });
    let planSha256 = '';
    let destroyError: string | undefined;
    try {
      planSha256 = (
        await planAndApply(terraform, {
          workingDirectory: inputs.workingDirectory,
          backend,
          vars: inputs.vars,
          destroy: true,
        })
      ).planSha256;
    } catch (error) {
      destroyError = describeError(error);
    }
    // Verify even after a failed destroy: the operator needs to know what is left to clean up by hand.
    const leftovers = inputs.verify ? await verify(inputs, ctx) : null;
    return report(destroyError, planSha256, leftovers, inputs);
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

function report(
  destroyError: string | undefined,
  planSha256: string,
  leftovers: Leftover[] | null,
  inputs: TeardownInputs,
): PhaseResult {
  const outputs = { destroyed: destroyError === undefined, leftovers, 'plan-sha256': planSha256 };
  const tagText = Object.entries(inputs.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const rows = [
    ['Destroy', destroyError === undefined ? `✅ applied plan ${planSha256.slice(0, 12)}…` : '❌ failed'],
    [
      'Verification',
      leftovers === null
        ? 'skipped (verify=false)'
        : leftovers.length === 0
          ? `✅ nothing tagged ${tagText} remains`
          : `❌ ${leftovers.length} left`,
    ],
  ];
  const lines = [markdownTable(['Step', 'Result'], rows)];
  if (leftovers?.length)
    lines.push(
      '',
      markdownTable(
        ['Kind', 'Id', 'Detail'],
        leftovers.map((l) => [l.kind, l.id, l.detail ?? '']),
      ),
    );
  const summary = lines.join('\n');

  if (leftovers?.length) {
    const prefix = destroyError ? `destroy failed (${destroyError}) and ` : 'destroy finished but ';
    return {
      status: 'failed',
      outputs,
      summary,
      failure: {
        message: `${prefix}runner resources remain: ${describeLeftovers(leftovers)}`,
        reason: 'leftovers',
      },
    };
  }
  if (destroyError)
    return {
      status: 'failed',
      outputs,
      summary,
      failure: { message: destroyError, reason: 'terraform_failed' },
    };
  return { status: 'ok', outputs, summary };
}
