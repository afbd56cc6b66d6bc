import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { destroyState } from '../../terraform/destroy.js';
import { destroyVariables } from '../../terraform/destroy-vars.js';
import { RUNNER_TAGS, stateKeyFor } from '../../terraform/runner-contract.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import type { TeardownInputs } from './inputs.js';
import { describeLeftovers, findLeftovers, type Leftover, type RunnerTags } from './leftovers.js';
import type { TeardownOutput } from './outputs.js';
import { report } from './report.js';
import { bucketMismatch, recordedState } from './same-state.js';

export async function run(inputs: TeardownInputs, ctx: PhaseContext): Promise<PhaseResult<TeardownOutput>> {
  const recorded = await recordedState((await ctx.receipts?.list()) ?? []);
  const mismatch = bucketMismatch(recorded, inputs.backend.bucket);
  if (mismatch)
    return {
      status: 'failed',
      outputs: {},
      summary: '',
      failure: { message: mismatch, reason: 'state_key_mismatch' },
    };
  const stateKey = recorded?.key ?? stateKeyFor(inputs.stateKeyPrefix, ctx.executionId);
  if (!recorded)
    ctx.io.info(`bringup left no receipt in this execution; destroying the execution's key ${stateKey}`);
  else if (recorded.legacy)
    ctx.io.warning(`bringup used the shared legacy state key ${stateKey}; destroying that`);
  const vars = destroyVariables({
    recorded: recorded?.moduleVars,
    executionId: ctx.executionId,
    region: ctx.aws.region,
    stateKey,
    targetKind: ctx.target.kind,
    target: ctx.target.name,
    now: ctx.now(),
  });
  const backend = { ...inputs.backend, key: stateKey, region: inputs.backend.region ?? ctx.aws.region };
  const { error: destroyError, ...applied } = await destroyState({
    workingDirectory: inputs.workingDirectory,
    backend,
    injected: vars,
    given: inputs.vars,
    io: ctx.io,
    announce: `Destroying with state s3://${backend.bucket}/${stateKey} locked by ${backend.lockTable}`,
  });
  // Verify even after a failed destroy: the operator needs to know what is left to clean up by hand.
  const tags: RunnerTags = { ...RUNNER_TAGS, execution: ctx.executionId };
  const leftovers = inputs.verify ? await verify(vars.region ?? ctx.aws.region, tags, ctx) : null;
  return report(destroyError, applied, leftovers, tags, stateKey);
}

async function verify(region: string, tags: RunnerTags, ctx: PhaseContext): Promise<Leftover[]> {
  const ec2 = ctx.aws.client(`ec2:${region}`, (c) => new EC2Client({ ...c, region }));
  const iam = ctx.aws.client('iam', (c) => new IAMClient(c));
  const leftovers = await findLeftovers(ec2, iam, tags);
  ctx.io.info(
    leftovers.length
      ? `left behind: ${describeLeftovers(leftovers)}`
      : `verified: nothing tagged execution=${tags.execution} remains`,
  );
  return leftovers;
}
