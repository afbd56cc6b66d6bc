import { DescribeInstancesCommand, type EC2Client, type Filter, type Instance } from '@aws-sdk/client-ec2';
import { RUNNER_TAGS, TAG } from '../terraform/runner-contract.js';

/** A standby runner instance as EC2 describes it, with the contract's tags read out. */
export interface RunnerInstance {
  id: string;
  state: string;
  launchTime?: string;
  name?: string;
  executionId?: string;
  kind?: string;
  expiresAt?: string;
  runId?: string;
  stateKey?: string;
  /** The standby-serving tag ('true' once activated as the serving standby). */
  serving?: string;
  tags: Record<string, string>;
}

/** States in which an instance still exists and costs money (or may again: a stopped one can be started). */
export const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** Every instance tagged Purpose=standby-dr, ManagedBy=standby in the client's region (plus extra filters). */
export async function describeRunners(
  ec2: EC2Client,
  options: { states?: string[]; instanceIds?: string[]; tags?: Record<string, string> } = {},
): Promise<RunnerInstance[]> {
  const tags = { ...RUNNER_TAGS, ...options.tags };
  const filters: Filter[] = [
    ...Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] })),
    ...(options.states ? [{ Name: 'instance-state-name', Values: options.states }] : []),
  ];
  const found: RunnerInstance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeInstancesCommand({ Filters: filters, InstanceIds: options.instanceIds, NextToken }),
    );
    for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      if (instance.InstanceId) found.push(toRunner(instance));
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found.sort(
    (a, b) => (a.launchTime ?? '').localeCompare(b.launchTime ?? '') || a.id.localeCompare(b.id),
  );
}

export function toRunner(instance: Instance): RunnerInstance {
  const tags = Object.fromEntries(
    (instance.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key as string, t.Value ?? '']),
  );
  return {
    id: instance.InstanceId as string,
    state: instance.State?.Name ?? 'unknown',
    launchTime: instance.LaunchTime?.toISOString(),
    name: tags[TAG.name],
    executionId: tags[TAG.execution],
    kind: tags[TAG.kind],
    expiresAt: tags[TAG.expiresAt],
    runId: tags[TAG.runId],
    stateKey: tags[TAG.stateKey],
    serving: tags[TAG.serving],
    tags,
  };
}

/** "i-0abc (running, execution drill-7, drill, expires 2026-11-28T10:00:00Z)" for messages people read. */
export function describeRunner(runner: RunnerInstance): string {
  const details = [
    runner.state,
    `execution ${runner.executionId ?? '?'}`,
    runner.kind ?? 'kind ?',
    `expires ${runner.expiresAt ?? '?'}`,
  ];
  return `${runner.id} (${details.join(', ')})`;
}
