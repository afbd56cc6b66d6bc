import { EC2Client } from '@aws-sdk/client-ec2';
import { describeRunners, LIVE_STATES } from '../../aws/runners.js';
import { TerraformCli } from '../../terraform/cli.js';
import { planAndApply } from '../../terraform/plan-apply.js';
import type { PlannedChange } from '../../terraform/plan-changes.js';
import { preflight } from '../../terraform/preflight.js';
import { injectedVariables, stateKeyFor, targetVariables } from '../../terraform/runner-contract.js';
import { describeError } from '../../util/errors.js';
import { markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import type { BringupInputs } from './inputs.js';
import type { BringupOutput } from './outputs.js';
import { checkRunnerLimit } from './runner-limit.js';

export async function run(inputs: BringupInputs, ctx: PhaseContext): Promise<PhaseResult<BringupOutput>> {
  const region = ctx.aws.region;
  const stateKey = stateKeyFor(inputs.stateKeyPrefix, ctx.executionId);
  const backend = { ...inputs.backend, key: stateKey, region: inputs.backend.region ?? region };
  const injected = {
    ...injectedVariables({
      region,
      executionId: ctx.executionId,
      kind: inputs.kind,
      expiresAt: new Date(ctx.now().getTime() + inputs.lifetimeMs),
      githubRunId: inputs.githubRunId,
      stateKey,
    }),
    ...targetVariables(ctx.target),
  };
  const identity = {
    'runner-name': injected.name,
    'state-key': stateKey,
    'expires-at': injected.expires_at,
    kind: inputs.kind,
    'module-vars': injected,
  };
  const checked = preflight(inputs.workingDirectory, injected, inputs.vars);
  for (const warning of checked.warnings) ctx.io.warning(warning);
  if (checked.failure) return { status: 'failed', outputs: identity, summary: '', failure: checked.failure };
  if (!inputs.planOnly) {
    const refused = await runnerLimit(inputs, ctx, region);
    if (refused) return { status: 'failed', outputs: identity, summary: '', failure: refused };
  }
  ctx.io.info(
    `Terraform in ${inputs.workingDirectory} for ${injected.name} (${inputs.kind}, expires ${injected.expires_at}), state s3://${backend.bucket}/${stateKey} locked by ${backend.lockTable}`,
  );
  const terraform = new TerraformCli({
    workingDirectory: inputs.workingDirectory,
    log: (l) => ctx.io.info(l),
  });
  let applied: Awaited<ReturnType<typeof planAndApply>>;
  try {
    applied = await planAndApply(terraform, {
      workingDirectory: inputs.workingDirectory,
      backend,
      vars: checked.vars,
      planOnly: inputs.planOnly,
    });
  } catch (error) {
    const failure = { message: describeError(error), reason: 'terraform_failed' as const };
    return { status: 'failed', outputs: identity, summary: '', failure };
  }
  if (applied.changes) return planOnlyResult(applied.terraformVersion, applied.planSha256, applied.changes);
  return appliedResult(applied, identity, `s3://${backend.bucket}/${stateKey}`);
}

async function runnerLimit(inputs: BringupInputs, ctx: PhaseContext, region: string) {
  const ec2 = ctx.aws.client(`ec2:${region}`, (c) => new EC2Client({ ...c, region }));
  const live = await describeRunners(ec2, { states: LIVE_STATES });
  const verdict = checkRunnerLimit(live, {
    executionId: ctx.executionId,
    target: ctx.target.name,
    kind: inputs.kind,
    maxRunners: inputs.maxRunners,
    region,
  });
  ctx.io.info(
    `${verdict.counted.length} other standby runner(s) of target ${ctx.target.name} counted in ${region}; max-runners ${inputs.maxRunners}`,
  );
  return verdict.ok ? undefined : { message: verdict.message, reason: 'runner_limit' as const };
}

function appliedResult(
  applied: Awaited<ReturnType<typeof planAndApply>>,
  identity: Record<string, string | object>,
  stateUri: string,
): PhaseResult {
  const { values, withheld } = applied.outputs;
  const instanceId = values.instance_id;
  const outputs = {
    ...identity,
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
    ['Runner', String(identity['runner-name'])],
    ['Kind', String(identity.kind)],
    ['Expires (dead-man switch)', String(identity['expires-at'])],
    ['State', stateUri],
    ['Plan sha256', applied.planSha256],
    ['Terraform', applied.terraformVersion],
    ['Sensitive outputs withheld', withheld.length ? withheld.join(', ') : 'none'],
  ];
  return {
    status: 'ok',
    outputs: { 'instance-id': instanceId, ...outputs, ...runnerSize(values) },
    summary: markdownTable(['Item', 'Value'], rows),
  };
}

/** What the drill's cost prices: the runner's type and volume size, when the module outputs them. */
function runnerSize(values: Record<string, unknown>) {
  const type = values.instance_type;
  const size = values.root_volume_size_gb;
  return {
    ...(typeof type === 'string' && type ? { 'instance-type': type } : {}),
    ...(typeof size === 'number' && size > 0 ? { 'root-volume-gb': size } : {}),
  };
}

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
