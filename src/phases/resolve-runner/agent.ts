import { DescribeInstanceInformationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { Clock } from '../../util/clock.js';

export interface Wait {
  timeoutMs: number;
  pollMs: number;
  clock: Clock;
  progress(message: string): void;
}

/** The SSM agent's PingStatus (Online, ConnectionLost, Inactive) or 'NotRegistered'. */
export async function agentStatus(ssm: SSMClient, instanceId: string): Promise<string> {
  const answer = await ssm.send(
    new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
  );
  return answer.InstanceInformationList?.[0]?.PingStatus ?? 'NotRegistered';
}

/** Polls until the agent is Online or the deadline passes; returns the last status seen. */
export async function waitForAgentOnline(
  ssm: SSMClient,
  instanceId: string,
  wait: Wait,
): Promise<{ online: boolean; status: string; waitedMs: number }> {
  const started = wait.clock.now();
  let status = 'NotRegistered';
  for (;;) {
    status = await agentStatus(ssm, instanceId);
    const waitedMs = wait.clock.now() - started;
    if (status === 'Online') return { online: true, status, waitedMs };
    if (waitedMs + wait.pollMs > wait.timeoutMs) return { online: false, status, waitedMs };
    wait.progress(
      `SSM agent on ${instanceId}: ${status} after ${Math.round(waitedMs / 1000)}s; waiting (deadline ${Math.round(wait.timeoutMs / 1000)}s)`,
    );
    await wait.clock.sleep(wait.pollMs);
  }
}
