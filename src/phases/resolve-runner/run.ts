import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { extendRunnerExpiry } from '../../aws/runner-expiry.js';
import { READY_MARKER } from '../../terraform/runner-contract.js';
import type { Clock } from '../../util/clock.js';
import { describeError } from '../../util/errors.js';
import { markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { type Wait, waitForAgentOnline } from './agent.js';
import { locateRunner } from './find-runner.js';
import type { ResolveRunnerInputs } from './inputs.js';
import type { ResolveRunnerOutput } from './outputs.js';
import { waitForReadyMarker } from './ready.js';

export async function run(
  inputs: ResolveRunnerInputs,
  ctx: PhaseContext,
): Promise<PhaseResult<ResolveRunnerOutput>> {
  const { clock } = ctx;
  const ec2 = ctx.aws.client('ec2', (c) => new EC2Client(c));
  const ssm = ctx.aws.client('ssm', (c) => new SSMClient(c));
  const located = await locateRunner(ec2, ctx.executionId, inputs.instanceId);
  if ('error' in located) {
    const outputs = { 'instance-id': located.found?.id ?? '', 'agent-status': '', ready: false };
    return {
      status: 'failed',
      outputs,
      summary: '',
      failure: { message: located.error, reason: located.reason },
    };
  }
  const id = located.runner.id;
  const expiresAt = await extendExpiry(ec2, id, inputs.extensionMinutes, ctx, clock);
  const wait = (timeoutSeconds: number): Wait => ({
    timeoutMs: timeoutSeconds * 1000,
    pollMs: ctx.poll.intervalMs,
    clock,
    progress: (message) => ctx.io.info(message),
  });
  ctx.io.info(
    `Runner ${id} (${located.runner.name ?? '?'}); waiting up to ${inputs.agentTimeoutSeconds}s for its SSM agent`,
  );
  const agent = await waitForAgentOnline(ssm, id, wait(inputs.agentTimeoutSeconds));
  const outputs: Record<string, string | boolean | object> = {
    'instance-id': id,
    'agent-status': agent.status,
    ready: false,
    'expires-at': expiresAt ?? '',
  };
  const rows = [['SSM agent', agent.status, `${Math.round(agent.waitedMs / 1000)} s`]];
  if (!agent.online) {
    const message = `SSM agent on ${id} is ${agent.status}, not Online, after ${inputs.agentTimeoutSeconds}s. Check the instance profile has AmazonSSMManagedInstanceCore and the subnet reaches the SSM endpoints.`;
    return {
      status: 'failed',
      outputs,
      summary: table(id, rows),
      failure: { message, reason: 'agent_offline' },
    };
  }
  ctx.io.info(`SSM agent Online; waiting up to ${inputs.readyTimeoutSeconds}s for ${READY_MARKER}`);
  const ready = await waitForReadyMarker(ssm, id, wait(inputs.readyTimeoutSeconds));
  const detail = ready.result.state === 'ready' ? JSON.stringify(ready.result.marker) : ready.result.detail;
  rows.push(
    ['Ready marker', ready.result.state, `${Math.round(ready.waitedMs / 1000)} s`],
    ['Expires', expiresAt ?? '?', ''],
  );
  if (ready.result.state !== 'ready') {
    const message =
      ready.result.state === 'failed'
        ? `runner ${id} will not become ready: ${detail}`
        : `runner ${id} wrote no ${READY_MARKER} within ${inputs.readyTimeoutSeconds}s (last seen: ${detail}). k3s may still be starting; raise ready-timeout-seconds or read /var/log/standby-user-data.log.`;
    return {
      status: 'failed',
      outputs,
      summary: table(id, rows),
      failure: { message, reason: 'runner_not_ready' },
    };
  }
  return {
    status: 'ok',
    outputs: { ...outputs, ready: true, 'ready-marker': ready.result.marker },
    summary: table(id, rows),
  };
}

async function extendExpiry(
  ec2: EC2Client,
  id: string,
  minutes: number,
  ctx: PhaseContext,
  clock: Clock,
): Promise<string | undefined> {
  try {
    const extended = await extendRunnerExpiry(ec2, id, minutes * 60_000, new Date(clock.now()));
    if (extended.serving) {
      ctx.io.info(`${id} is the serving standby: it has no expiry, and none is added`);
      return undefined;
    }
    ctx.io.info(
      extended.changed
        ? `expiry of ${id} extended from ${extended.previous ?? 'unset'} to ${extended.expiresAt}`
        : `expiry of ${id} stays ${extended.expiresAt} (already later than now + ${minutes} min)`,
    );
    return extended.expiresAt;
  } catch (error) {
    ctx.io.warning(
      `could not extend the expiry of ${id}: ${describeError(error)}; it keeps the one bringup set`,
    );
    return undefined;
  }
}

function table(id: string, rows: string[][]): string {
  return `Instance \`${id}\`\n\n${markdownTable(['Check', 'Result', 'Waited'], rows)}`;
}
