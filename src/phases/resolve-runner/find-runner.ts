import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { describeRunner, describeRunners, type RunnerInstance, toRunner } from '../../aws/runners.js';
import { RUNNER_TAGS, TAG } from '../../terraform/runner-contract.js';
import { awsErrorCode } from '../../util/errors.js';

export type Located =
  | { runner: RunnerInstance }
  | {
      error: string;
      reason: 'runner_not_found' | 'runner_mismatch' | 'runner_ambiguous';
      found?: RunnerInstance;
    };

const USABLE = ['pending', 'running'];

/**
 * The instance bringup created for this execution. Its id comes from bringup; the tags are only a
 * cross-check (a wrong id must not send this execution's restore to another execution's runner).
 * Without an id (a manual run), the one live runner tagged with this execution is taken.
 */
export async function locateRunner(
  ec2: EC2Client,
  executionId: string,
  instanceId?: string,
): Promise<Located> {
  if (!instanceId) return byExecutionTag(ec2, executionId);
  let runner: RunnerInstance | undefined;
  try {
    const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = answer.Reservations?.[0]?.Instances?.[0];
    runner = instance ? toRunner(instance) : undefined;
  } catch (error) {
    if (!awsErrorCode(error).name.startsWith('InvalidInstanceID')) throw error;
  }
  if (!runner)
    return {
      error: `instance ${instanceId} (bringup's instance-id) does not exist in this region. Check aws-region matches bringup's.`,
      reason: 'runner_not_found',
    };
  return crossCheck(runner, executionId);
}

/** The id is trusted only when the tags say it is this execution's live runner. */
export function crossCheck(runner: RunnerInstance, executionId: string): Located {
  const tagged =
    runner.tags[TAG.purpose] === RUNNER_TAGS.Purpose &&
    runner.tags[TAG.managedBy] === RUNNER_TAGS.ManagedBy &&
    runner.executionId === executionId;
  if (!tagged)
    return { error: crossCheckMessage(runner, executionId), reason: 'runner_mismatch', found: runner };
  if (!USABLE.includes(runner.state))
    return {
      error: `runner ${describeRunner(runner)} is ${runner.state}, not running: it may have passed its expiry (dead-man switch) or been stopped. Run bringup again.`,
      reason: 'runner_not_found',
      found: runner,
    };
  return { runner };
}

function crossCheckMessage(runner: RunnerInstance, executionId: string): string {
  const seen = [TAG.purpose, TAG.managedBy, TAG.execution].map(
    (key) => `${key}=${runner.tags[key] ?? '(none)'}`,
  );
  return (
    `instance ${runner.id} is not this execution's runner: its tags say ${seen.join(', ')}, expected ` +
    `${TAG.purpose}=${RUNNER_TAGS.Purpose}, ${TAG.managedBy}=${RUNNER_TAGS.ManagedBy}, ${TAG.execution}=${executionId}. ` +
    'Pass the instance-id bringup output in this run; nothing was sent to that instance.'
  );
}

async function byExecutionTag(ec2: EC2Client, executionId: string): Promise<Located> {
  const live = await describeRunners(ec2, { states: USABLE, tags: { [TAG.execution]: executionId } });
  if (live.length === 1) return { runner: live[0] as RunnerInstance };
  if (live.length === 0)
    return {
      error: `no pending or running instance tagged ${TAG.execution}=${executionId} (with ${TAG.purpose}=${RUNNER_TAGS.Purpose}, ${TAG.managedBy}=${RUNNER_TAGS.ManagedBy}). Run bringup first, or pass its instance-id.`,
      reason: 'runner_not_found',
    };
  return {
    error: `${live.length} live runners carry ${TAG.execution}=${executionId}: ${live.map(describeRunner).join('; ')}. One execution has one runner; tear down and bring up again.`,
    reason: 'runner_ambiguous',
  };
}
