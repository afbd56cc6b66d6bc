import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { InputError } from '../../validation/errors.js';
import { parseNumber, required } from '../../validation/primitives.js';
import type { PhaseDefinition } from '../phase.js';
import { markdownTable } from '../summary.js';
import { waitForAgentOnline } from './agent.js';
import { describeTaggedInstances, LIVE_STATES, pickRunner } from './find-runner.js';

export interface ResolveRunnerInputs {
  runnerName: string;
  agentTimeoutSeconds: number;
}

export function parseResolveRunnerInputs(read: (name: string) => string): ResolveRunnerInputs {
  const runnerName = required('runner-name', read('runner-name'));
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(runnerName)) {
    throw new InputError(
      'runner-name',
      `'${runnerName}' may use only A-Z a-z 0-9 . _ - (the Name tag bringup set)`,
    );
  }
  return {
    runnerName,
    agentTimeoutSeconds: parseNumber('agent-timeout-seconds', read('agent-timeout-seconds'), {
      min: 1,
      max: 3600,
      integer: true,
    }),
  };
}

/** Built by a factory so tests can poll faster than the production 5 s. */
export function createResolveRunner(options: { pollMs?: number } = {}): PhaseDefinition<ResolveRunnerInputs> {
  return {
    name: 'resolve-runner',
    title: 'Resolve the DR runner',
    description:
      'Finds exactly one live instance tagged as the DR runner and waits for its SSM agent to be Online.',
    branding: { icon: 'search', color: 'purple' },
    inputs: {
      'runner-name': {
        description: 'Name tag of the runner (with Purpose=standby-dr, ManagedBy=standby).',
        default: 'standby-dr-runner',
      },
      'agent-timeout-seconds': {
        description: 'How long to wait for the SSM agent to report Online.',
        default: '600',
      },
    },
    outputs: {
      'instance-id': { description: 'The runner instance id' },
      'agent-status': { description: 'SSM agent PingStatus (Online on success)' },
    },
    parseInputs: parseResolveRunnerInputs,

    async run(inputs, ctx) {
      const ec2 = ctx.aws.client('ec2', (c) => new EC2Client(c));
      const ssm = ctx.aws.client('ssm', (c) => new SSMClient(c));
      const live = await describeTaggedInstances(ec2, inputs.runnerName, LIVE_STATES);
      const all = live.length === 0 ? await describeTaggedInstances(ec2, inputs.runnerName) : live;
      const picked = pickRunner(inputs.runnerName, live, all);
      if ('error' in picked) {
        return {
          status: 'failed',
          outputs: { 'instance-id': '', 'agent-status': '' },
          summary: '',
          failure: {
            message: picked.error,
            reason: live.length === 0 ? 'runner_not_found' : 'runner_ambiguous',
          },
        };
      }
      ctx.io.info(
        `Runner ${picked.id} found; waiting up to ${inputs.agentTimeoutSeconds}s for its SSM agent`,
      );
      const agent = await waitForAgentOnline(ssm, picked.id, {
        timeoutMs: inputs.agentTimeoutSeconds * 1000,
        pollMs: options.pollMs ?? 5000,
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        progress: (message) => ctx.io.info(message),
      });
      const outputs = { 'instance-id': picked.id, 'agent-status': agent.status };
      const summary = markdownTable(
        ['Instance', 'SSM agent', 'Waited'],
        [[picked.id, agent.status, `${Math.round(agent.waitedMs / 1000)} s`]],
      );
      if (!agent.online) {
        const message = `SSM agent on ${picked.id} is ${agent.status}, not Online, after ${inputs.agentTimeoutSeconds}s. Check the instance profile has AmazonSSMManagedInstanceCore and the subnet reaches SSM endpoints.`;
        return { status: 'failed', outputs, summary, failure: { message, reason: 'agent_offline' } };
      }
      return { status: 'ok', outputs, summary };
    },
  };
}

export const resolveRunner = createResolveRunner();
