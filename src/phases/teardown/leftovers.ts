import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, type IAMClient, ListInstanceProfilesCommand } from '@aws-sdk/client-iam';
import { awsErrorCode } from '../../util/errors.js';

/** The tags that pick out one execution's runner resources (terraform/runner puts them on everything). */
export interface RunnerTags {
  Purpose: string;
  ManagedBy: string;
  execution: string;
}

export interface Leftover {
  kind: 'instance' | 'volume' | 'security-group' | 'instance-profile';
  id: string;
  detail?: string;
}

/** Instance profiles under this IAM path are checked too (older runner modules created one per runner). */
export const RUNNER_IAM_PATH = '/standby/';

function tagFilters(tags: RunnerTags): Filter[] {
  return Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}

/** Everything tagged as the runner that still exists after a destroy. Terminated instances are gone. */
export async function findLeftovers(ec2: EC2Client, iam: IAMClient, tags: RunnerTags): Promise<Leftover[]> {
  const [instances, volumes, groups, profiles] = await Promise.all([
    findInstances(ec2, tags),
    findVolumes(ec2, tags),
    findSecurityGroups(ec2, tags),
    findInstanceProfiles(iam, tags),
  ]);
  return [...instances, ...volumes, ...groups, ...profiles];
}

async function findInstances(ec2: EC2Client, tags: RunnerTags): Promise<Leftover[]> {
  const found: Leftover[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ Filters: tagFilters(tags), NextToken }));
    for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      const state = instance.State?.Name ?? 'unknown';
      if (state !== 'terminated')
        found.push({ kind: 'instance', id: instance.InstanceId ?? '?', detail: state });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

async function findVolumes(ec2: EC2Client, tags: RunnerTags): Promise<Leftover[]> {
  const found: Leftover[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeVolumesCommand({ Filters: tagFilters(tags), NextToken }));
    for (const volume of page.Volumes ?? [])
      found.push({ kind: 'volume', id: volume.VolumeId ?? '?', detail: volume.State });
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

async function findSecurityGroups(ec2: EC2Client, tags: RunnerTags): Promise<Leftover[]> {
  const found: Leftover[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: tagFilters(tags), NextToken }));
    for (const group of page.SecurityGroups ?? [])
      found.push({ kind: 'security-group', id: group.GroupId ?? '?', detail: group.GroupName });
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** IAM lists do not return tags, so each profile under the runner's path is read for them. */
async function findInstanceProfiles(iam: IAMClient, tags: RunnerTags): Promise<Leftover[]> {
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: RUNNER_IAM_PATH, Marker }));
    for (const profile of page.InstanceProfiles ?? []) {
      if (profile.Path?.startsWith(RUNNER_IAM_PATH) && profile.InstanceProfileName)
        names.push(profile.InstanceProfileName);
    }
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  const found: Leftover[] = [];
  for (const name of names) {
    const InstanceProfile = await getProfile(iam, name);
    if (!InstanceProfile) continue;
    const have = new Map((InstanceProfile?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    if (Object.entries(tags).every(([key, value]) => have.get(key) === value)) {
      found.push({ kind: 'instance-profile', id: name, detail: InstanceProfile?.Arn });
    }
  }
  return found;
}

async function getProfile(iam: IAMClient, name: string) {
  try {
    return (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }))).InstanceProfile;
  } catch (error) {
    // Deleted between the list and the read: not a leftover.
    if (awsErrorCode(error).name === 'NoSuchEntity' || awsErrorCode(error).name === 'NoSuchEntityException')
      return undefined;
    throw error;
  }
}

/** "instance i-0abc (running), volume vol-1 (in-use)" — the failure message names every leftover. */
export function describeLeftovers(leftovers: Leftover[]): string {
  return leftovers
    .map((item) => `${item.kind} ${item.id}${item.detail ? ` (${item.detail})` : ''}`)
    .join(', ');
}
