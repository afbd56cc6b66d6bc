import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { extendRunnerExpiry } from '../../aws/runner-expiry.js';
import { type Clock, systemClock } from '../../util/clock.js';
import { describeError } from '../../util/errors.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseNumber } from '../../validation/primitives.js';
import type { PhaseContext, PhaseDefinition, PhaseResult } from '../phase.js';
import { markdownTable } from '../summary.js';
import { type Wait, waitForAgentOnline } from './agent.js';
import { locateRunner } from './find-runner.js';
import { READY_MARKER, waitForReadyMarker } from './ready.js';

export interface ResolveRunnerInputs {
  instanceId?: string;
  agentTimeoutSeconds: number;
  readyTimeoutSeconds: number;
  extensionMinutes: number;
}

export function parseResolveRunnerInputs(read: (name: string) => string): ResolveRunnerInputs {
  const given = read('instance-id').trim();
  return {
    instanceId: given === '' ? undefined : parseInstanceId('instance-id', given),
    agentTimeoutSeconds: parseNumber('agent-timeout-seconds', read('agent-timeout-seconds'), {
      min: 1,
      max: 3600,
      integer: true,
    }),
    readyTimeoutSeconds: parseNumber('ready-timeout-seconds', read('ready-timeout-seconds'), {
      min: 1,
      max: 7200,
      integer: true,
    }),
    extensionMinutes: parseNumber('expiry-extension-minutes', read('expiry-extension-minutes'), {
      min: 0,
      max: 60 * 24 * 45,
      integer: true,
    }),
  };
}

/** Built by a factory so tests hand in a clock that moves instead of waiting (production polls every 5 s). */
export function createResolveRunner(
  options: { pollMs?: number; clock?: Clock } = {},
): PhaseDefinition<ResolveRunnerInputs> {
  const clock = options.clock ?? systemClock;
  return {
    name: 'resolve-runner',
    title: 'Resolve the DR runner',
    description:
      'Takes the instance bringup created for this execution (its tags only as a cross-check), extends its expiry, and waits for its SSM agent and for the ready marker user data writes last.',
    branding: { icon: 'search', color: 'purple' },
    inputs: {
      'instance-id': {
        description:
          "bringup's instance-id output. Empty: the one live runner tagged with this execution id.",
        default: '',
      },
      'agent-timeout-seconds': {
        description: 'How long to wait for the SSM agent to report Online.',
        default: '600',
      },
      'ready-timeout-seconds': {
        description: `How long to wait, once the agent is Online, for ${READY_MARKER} (k3s ready, tools installed).`,
        default: '1200',
      },
      'expiry-extension-minutes': {
        description:
          "Push the runner's standby-expires-at to at least now + this (it is never brought closer).",
        default: '120',
      },
    },
    outputs: {
      'instance-id': { description: 'The runner instance id' },
      'agent-status': { description: 'SSM agent PingStatus (Online on success)' },
      ready: { description: 'true when the ready marker was found' },
      'ready-marker': { description: 'The ready marker as JSON (k3s version, when it became ready)' },
      'expires-at': { description: "The runner's expiry after the extension (RFC 3339 UTC)" },
    },
    parseInputs: parseResolveRunnerInputs,
    run: (inputs, ctx) => resolve(inputs, ctx, clock, options.pollMs ?? 5000),
  };
}

async function resolve(
  inputs: ResolveRunnerInputs,
  ctx: PhaseContext,
  clock: Clock,
  pollMs: number,
): Promise<PhaseResult> {
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
    pollMs,
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

export const resolveRunner = createResolveRunner();
