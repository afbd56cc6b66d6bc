import { CreateTagsCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { rfc3339, TAG } from '../terraform/runner-contract.js';
import { parseIsoTimestamp } from '../util/time.js';

/**
 * The runner's dead-man switch: user data shuts the instance down (terminate) once its own
 * standby-expires-at tag has passed. A phase that uses the runner pushes the tag to
 * max(current, now + extension); it never brings an expiry closer.
 */
export function extendedExpiry(
  current: string | undefined,
  now: Date,
  extensionMs: number,
): { expiresAt: string; changed: boolean } {
  const wanted = new Date(now.getTime() + extensionMs);
  const existing = parseIsoTimestamp(current);
  if (existing && existing.getTime() >= wanted.getTime())
    return { expiresAt: current as string, changed: false };
  return { expiresAt: rfc3339(wanted), changed: true };
}

export type ExtendedExpiry =
  | { serving: false; expiresAt: string; changed: boolean; previous?: string }
  /** The serving standby (standby-serving=true): it has no expiry, and none is added back. */
  | { serving: true; expiresAt?: undefined; changed: false };

/**
 * Reads the instance's expiry tag and extends it (ec2:CreateTags of that one key). The serving standby is
 * left alone: activation removed its expiry on purpose (issue 20.2), and a later script sent to it (a
 * validation, a log export) must not arm the dead-man switch again.
 */
export async function extendRunnerExpiry(
  ec2: EC2Client,
  instanceId: string,
  extensionMs: number,
  now: Date,
): Promise<ExtendedExpiry> {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instance = described.Reservations?.[0]?.Instances?.[0];
  if (!instance) throw new Error(`instance ${instanceId} not found`);
  if (instance.Tags?.some((tag) => tag.Key === TAG.serving && tag.Value === 'true'))
    return { serving: true, changed: false };
  const previous = instance.Tags?.find((tag) => tag.Key === TAG.expiresAt)?.Value;
  const next = extendedExpiry(previous, now, extensionMs);
  if (next.changed) {
    await ec2.send(
      new CreateTagsCommand({
        Resources: [instanceId],
        Tags: [{ Key: TAG.expiresAt, Value: next.expiresAt }],
      }),
    );
  }
  return { serving: false, ...next, previous };
}
