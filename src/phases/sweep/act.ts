import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { destroyState } from '../../terraform/destroy.js';
import { destroyVariables } from '../../terraform/destroy-vars.js';
import { RUNNER_TAGS, type RunnerKind, TAG } from '../../terraform/runner-contract.js';
import { awsErrorCode } from '../../util/errors.js';
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
      Filters: Object.entries({ ...RUNNER_TAGS, [TAG.execution]: executionId }).map(([key, value]) => ({
        Name: `tag:${key}`,
        Values: [value],
      })),
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
  const destroyed = await destroyState({
    workingDirectory: inputs.workingDirectory,
    backend: { ...inputs.backend, key: request.stateKey, region: inputs.backend.region ?? request.region },
    injected: destroyVariables(request),
    given: inputs.vars,
    io: { info: log, warning: (line) => log(`warning: ${line}`) },
  });
  if (destroyed.error !== undefined) return { ok: false, detail: destroyed.error };
  return { ok: true, detail: `destroyed through Terraform (plan ${destroyed.planSha256.slice(0, 12)}…)` };
}
