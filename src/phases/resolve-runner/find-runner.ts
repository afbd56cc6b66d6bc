import { DescribeInstancesCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';

/** The tags bringup puts on the DR runner (terraform/runner); resolve-runner looks for exactly these. */
export const RUNNER_TAGS = { Purpose: 'standby-dr', ManagedBy: 'standby' } as const;
export const LIVE_STATES = ['pending', 'running'];

export interface TaggedInstance {
  id: string;
  state: string;
  launchTime?: string;
}

export async function describeTaggedInstances(
  ec2: EC2Client,
  runnerName: string,
  states?: string[],
): Promise<TaggedInstance[]> {
  const filters: Filter[] = [
    { Name: 'tag:Name', Values: [runnerName] },
    { Name: 'tag:Purpose', Values: [RUNNER_TAGS.Purpose] },
    { Name: 'tag:ManagedBy', Values: [RUNNER_TAGS.ManagedBy] },
    ...(states ? [{ Name: 'instance-state-name', Values: states }] : []),
  ];
  const found: TaggedInstance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, NextToken }));
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId) {
          found.push({
            id: instance.InstanceId,
            state: instance.State?.Name ?? 'unknown',
            launchTime: instance.LaunchTime?.toISOString(),
          });
        }
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** Exactly one live runner, or an error that says what was found and what to do. */
export function pickRunner(
  runnerName: string,
  live: TaggedInstance[],
  all: TaggedInstance[],
): { id: string } | { error: string } {
  const tags = `Name=${runnerName}, Purpose=${RUNNER_TAGS.Purpose}, ManagedBy=${RUNNER_TAGS.ManagedBy}`;
  if (live.length === 1) return { id: (live[0] as TaggedInstance).id };
  if (live.length === 0) {
    const others = all.map((i) => `${i.id} (${i.state})`).join(', ');
    return {
      error: `no pending or running instance tagged ${tags}${others ? `; found only ${others}` : ''}. Run bringup first, or check runner-name.`,
    };
  }
  const listed = live.map((i) => `${i.id} (${i.state}, launched ${i.launchTime ?? '?'})`).join(', ');
  return {
    error: `${live.length} live instances tagged ${tags}: ${listed}. Exactly one is expected; terminate the extra ones (or run teardown) and retry.`,
  };
}
