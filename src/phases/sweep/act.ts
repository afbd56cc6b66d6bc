import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { TerraformCli } from '../../terraform/cli.js';
import { destroyVariables } from '../../terraform/destroy-vars.js';
import { planAndApply } from '../../terraform/plan-apply.js';
import { preflight } from '../../terraform/preflight.js';
import { RUNNER_TAGS, type RunnerKind } from '../../terraform/runner-contract.js';
import { awsErrorCode, describeError } from '../../util/errors.js';
import type { SweepInputs } from './inputs.js';

/**
 * No state to destroy through (it was never written, or it lost track of the instance): terminate the
 * instances and delete the execution's security groups. A group still attached to a shutting-down
 * instance answers DependencyViolation; it is left for the next sweep and reported.
 */
export async function terminateDirectly(
  ec2: EC2Client,
  instanceIds: string[],
  executionId: string | undefined,
): Promise<{ ok: boolean; detail: string }> {
  const notes: string[] = [];
  if (instanceIds.length) {
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: instanceIds }));
    notes.push(`terminated ${instanceIds.join(', ')}`);
  }
  if (!executionId) return { ok: true, detail: notes.join('; ') };
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'tag:Purpose', Values: [RUNNER_TAGS.Purpose] },
        { Name: 'tag:ManagedBy', Values: [RUNNER_TAGS.ManagedBy] },
        { Name: 'tag:execution', Values: [executionId] },
      ],
    }),
  );
  for (const group of groups.SecurityGroups ?? []) {
    try {
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId }));
      notes.push(`deleted ${group.GroupId}`);
    } catch (error) {
      if (awsErrorCode(error).name !== 'DependencyViolation') throw error;
      notes.push(`${group.GroupId} still in use (the instance is shutting down): next sweep`);
    }
  }
  return { ok: true, detail: notes.join('; ') || 'nothing to remove' };
}

export interface DestroyRequest {
  stateKey: string;
  executionId: string;
  region: string;
  kind?: RunnerKind;
  githubRunId?: string;
  now: Date;
}

/** `plan -destroy` + apply through the execution's own state, with the variables the module needs. */
export async function destroyThroughTerraform(
  inputs: SweepInputs,
  request: DestroyRequest,
  log: (line: string) => void,
): Promise<{ ok: boolean; detail: string }> {
  const vars = destroyVariables({
    executionId: request.executionId,
    region: request.region,
    stateKey: request.stateKey,
    kind: request.kind,
    githubRunId: request.githubRunId,
    now: request.now,
  });
  const checked = preflight(inputs.workingDirectory, vars, inputs.vars);
  if (checked.failure) return { ok: false, detail: checked.failure.message };
  const terraform = new TerraformCli({ workingDirectory: inputs.workingDirectory, log });
  try {
    const applied = await planAndApply(terraform, {
      workingDirectory: inputs.workingDirectory,
      backend: { ...inputs.backend, key: request.stateKey, region: inputs.backend.region ?? request.region },
      vars: checked.vars,
      destroy: true,
    });
    return { ok: true, detail: `destroyed through Terraform (plan ${applied.planSha256.slice(0, 12)}…)` };
  } catch (error) {
    return { ok: false, detail: describeError(error) };
  }
}
