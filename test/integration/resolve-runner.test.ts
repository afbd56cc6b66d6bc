import {
  CreateTagsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { createResolveRunner } from '../../src/phases/resolve-runner/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { useEmulator } from '../helpers/emulator.js';
import { startSsmProxy } from '../helpers/ssm-proxy.js';

const emulator = useEmulator();
let proxy: Awaited<ReturnType<typeof startSsmProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  delete process.env.AWS_ENDPOINT_URL_SSM;
});

const RUNNER_TAGS = [
  { Key: 'Name', Value: 'standby-dr-runner' },
  { Key: 'Purpose', Value: 'standby-dr' },
  { Key: 'ManagedBy', Value: 'standby' },
];

async function launch(tags = RUNNER_TAGS): Promise<string> {
  const ec2 = new EC2Client({ region: 'us-east-1' });
  const run = await ec2.send(
    new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't4g.small' }),
  );
  const id = run.Instances?.[0]?.InstanceId as string;
  await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: tags }));
  return id;
}

/** PingStatus per call: moto has no DescribeInstanceInformation, so the proxy answers it (see ssm-proxy.ts). */
async function agentSays(statuses: string[]) {
  let call = 0;
  proxy = await startSsmProxy(emulator.endpoint, async (action, body) => {
    if (action !== 'DescribeInstanceInformation') return undefined;
    const id = ((body.Filters as { Values: string[] }[])[0]?.Values ?? [])[0];
    const status = statuses[Math.min(call++, statuses.length - 1)];
    return {
      status: 200,
      json: {
        InstanceInformationList: status === 'NotRegistered' ? [] : [{ InstanceId: id, PingStatus: status }],
      },
    };
  });
  process.env.AWS_ENDPOINT_URL_SSM = proxy.endpoint;
}

async function resolve(inputs: Record<string, string> = {}) {
  const io = new MemoryIO({ 'execution-id': 'drill-1', 'agent-timeout-seconds': '2', ...inputs });
  const { result } = await runPhase(createResolveRunner({ pollMs: 200 }), io, {
    aws: new AwsClients(),
    env: {},
  });
  return { ...result, io };
}

describe('resolve-runner on the emulator (EC2 from moto, agent status through the SSM proxy)', () => {
  it('finds the one live tagged runner once its agent comes Online, reporting progress', async () => {
    const id = await launch();
    await launch([{ Key: 'Name', Value: 'something-else' }]);
    await agentSays(['NotRegistered', 'ConnectionLost', 'Online']);
    const result = await resolve();
    expect(result.status).toBe('ok');
    expect(result.outputs).toEqual({ 'instance-id': id, 'agent-status': 'Online' });
    expect(result.io.logs.filter((line) => line.includes('waiting (deadline 2s)'))).toHaveLength(2);
  });

  it('fails with zero runners, naming the tags and the non-live instances it saw', async () => {
    const id = await launch();
    await new EC2Client({ region: 'us-east-1' }).send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await agentSays(['Online']);
    const result = await resolve();
    expect(result.failure?.reason).toBe('runner_not_found');
    expect(result.failure?.message).toContain(
      'no pending or running instance tagged Name=standby-dr-runner, Purpose=standby-dr, ManagedBy=standby',
    );
    expect(result.failure?.message).toContain(`${id} (`);
  });

  it('fails with two runners and lists both', async () => {
    const first = await launch();
    const second = await launch();
    await agentSays(['Online']);
    const result = await resolve();
    expect(result.failure?.reason).toBe('runner_ambiguous');
    expect(result.failure?.message).toContain(first);
    expect(result.failure?.message).toContain(second);
  });

  it('fails when the agent never comes Online within the deadline', async () => {
    const id = await launch();
    await agentSays(['ConnectionLost']);
    const started = Date.now();
    const result = await resolve({ 'agent-timeout-seconds': '1' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.failure?.reason).toBe('agent_offline');
    expect(result.failure?.message).toContain(`SSM agent on ${id} is ConnectionLost, not Online, after 1s`);
    expect(result.outputs['instance-id']).toBe(id);
  });

  it('refuses a runner-name that is not a tag value it could match', async () => {
    const result = await resolve({ 'runner-name': 'runner; rm -rf /' });
    expect(result.failure?.reason).toBe('invalid_input');
  });
});
