import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { resolveRunner } from '../../../src/phases/resolve-runner/index.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import { useEmulator } from '../../helpers/emulator.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { startSsmProxy } from '../../helpers/ssm-proxy.js';

const emulator = useEmulator();
let proxy: Awaited<ReturnType<typeof startSsmProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  delete process.env.AWS_ENDPOINT_URL_SSM;
});

const START = Date.parse('2026-11-28T07:00:00Z');
const ec2 = () => new EC2Client({ region: 'us-east-1' });

function runnerTags(execution: string, expiresAt = '2026-11-28T08:00:00Z') {
  return [
    { Key: 'Name', Value: `standby-${execution}` },
    { Key: 'Purpose', Value: 'standby-dr' },
    { Key: 'ManagedBy', Value: 'standby' },
    { Key: 'execution', Value: execution },
    { Key: 'standby-kind', Value: 'drill' },
    { Key: 'standby-expires-at', Value: expiresAt },
  ];
}

async function launch(tags = runnerTags('drill-1')): Promise<string> {
  const run = await ec2().send(
    new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't4g.small' }),
  );
  const id = run.Instances?.[0]?.InstanceId as string;
  await ec2().send(new CreateTagsCommand({ Resources: [id], Tags: tags }));
  return id;
}

async function expiryOf(id: string) {
  const answer = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return answer.Reservations?.[0]?.Instances?.[0]?.Tags?.find((t) => t.Key === 'standby-expires-at')?.Value;
}

/**
 * The runner as SSM sees it. moto has no DescribeInstanceInformation and its Run Command returns empty
 * output, so the proxy answers PingStatus per call and what the ready probe prints per probe.
 */
async function runnerSays(
  agent: string[],
  probes: string[] = ['READY {"readyz":"ok","k3s_version":"v1.36.4+k3s1"}'],
) {
  let agentCall = 0;
  let probeCall = 0;
  const sent: string[][] = [];
  proxy = await startSsmProxy(emulator.endpoint, async (action, body, forward) => {
    if (action === 'DescribeInstanceInformation') {
      const id = ((body.Filters as { Values: string[] }[])[0]?.Values ?? [])[0];
      const status = agent[Math.min(agentCall++, agent.length - 1)];
      return {
        status: 200,
        json: {
          InstanceInformationList: status === 'NotRegistered' ? [] : [{ InstanceId: id, PingStatus: status }],
        },
      };
    }
    if (action === 'SendCommand') sent.push((body.Parameters as { commands: string[] }).commands);
    if (action !== 'GetCommandInvocation') return undefined;
    const answer = await forward();
    const stdout = probes[Math.min(probeCall++, probes.length - 1)];
    answer.json = {
      ...answer.json,
      Status: 'Success',
      ResponseCode: 0,
      StandardOutputContent: `${stdout}\n`,
    };
    return { status: 200, json: answer.json };
  });
  process.env.AWS_ENDPOINT_URL_SSM = proxy.endpoint;
  return { sent };
}

async function resolve(inputs: Record<string, string>, executionId = 'drill-1') {
  const clock = fakeClock(START);
  const io = new MemoryIO({ 'execution-id': executionId, ...inputs });
  const realStart = Date.now();
  const { result } = await runPhase(resolveRunner, io, {
    clock,
    poll: { intervalMs: 5000 },
    aws: new AwsClients(),
    env: {},
  });
  return { ...result, io, clock, realMs: Date.now() - realStart };
}

describe('resolve-runner on the emulator (EC2 from moto; agent and runner answers through the SSM proxy)', () => {
  it("takes bringup's instance, extends its expiry, waits for the agent and then for the ready marker", async () => {
    const id = await launch();
    await launch(runnerTags('alarm-2')); // another execution's runner is never considered
    const { sent } = await runnerSays(
      ['NotRegistered', 'ConnectionLost', 'Online'],
      [
        'NOT_READY status: running',
        'NOT_READY status: running',
        'READY {"ready_at":"2026-11-28T07:04:00Z","readyz":"ok","k3s_version":"v1.36.4+k3s1"}',
      ],
    );
    const result = await resolve({ 'instance-id': id });
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({
      'instance-id': id,
      'agent-status': 'Online',
      ready: true,
      'ready-marker': { readyz: 'ok', k3s_version: 'v1.36.4+k3s1' },
      'expires-at': '2026-11-28T09:00:00Z', // now + 120 min, later than the 08:00 bringup set
    });
    expect(await expiryOf(id)).toBe('2026-11-28T09:00:00Z');
    const log = result.io.logs.join('\n');
    expect(
      log.match(/SSM agent on .*: (NotRegistered|ConnectionLost) after \d+s; waiting \(deadline 600s\)/g),
    ).toHaveLength(2);
    expect(
      log.match(/ready marker on .*: not yet \(status: running\) after \d+s; waiting \(deadline 1200s\)/g),
    ).toHaveLength(2);
    expect(sent).toHaveLength(3);
    expect(sent[0]?.join('\n')).toContain('/var/lib/standby/ready.json');
    // Minutes of polling, no real waiting.
    expect(result.clock.slept.filter((ms) => ms === 5000).length).toBeGreaterThanOrEqual(4);
    expect(result.realMs).toBeLessThan(15_000);
  });

  it('never brings an expiry closer', async () => {
    const id = await launch(runnerTags('alarm-3', '2026-12-28T07:00:00Z'));
    await runnerSays(['Online']);
    const result = await resolve({ 'instance-id': id }, 'alarm-3');
    expect(result.outputs['expires-at']).toBe('2026-12-28T07:00:00Z');
    expect(await expiryOf(id)).toBe('2026-12-28T07:00:00Z');
  });

  it('20.2: never arms the expiry of the serving standby again (activation removed it on purpose)', async () => {
    const serving = runnerTags('alarm-4').filter((t) => t.Key !== 'standby-expires-at');
    const id = await launch([...serving, { Key: 'standby-serving', Value: 'true' }]);
    await runnerSays(['Online']);
    const result = await resolve({ 'instance-id': id }, 'alarm-4');
    expect(result.status).toBe('ok');
    expect(result.outputs['expires-at'] ?? '').toBe('');
    expect(await expiryOf(id)).toBeUndefined();
  });

  it('refuses an instance id whose tags name another execution, and sends it nothing', async () => {
    const other = await launch(runnerTags('alarm-2'));
    const { sent } = await runnerSays(['Online']);
    const result = await resolve({ 'instance-id': other });
    expect(result.failure?.reason).toBe('runner_mismatch');
    expect(result.failure?.message).toContain(`instance ${other} is not this execution's runner`);
    expect(result.failure?.message).toContain('execution=alarm-2');
    expect(result.failure?.message).toContain('execution=drill-1');
    expect(sent).toEqual([]);
    expect(await expiryOf(other)).toBe('2026-11-28T08:00:00Z');
  });

  it('fails clearly for an instance that does not exist, or has terminated (dead-man switch)', async () => {
    await runnerSays(['Online']);
    const missing = await resolve({ 'instance-id': 'i-0123456789abcdef0' });
    expect(missing.failure?.reason).toBe('runner_not_found');
    expect(missing.failure?.message).toContain('does not exist in this region');

    const id = await launch();
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const gone = await resolve({ 'instance-id': id });
    expect(gone.failure?.reason).toBe('runner_not_found');
    expect(gone.failure?.message).toMatch(
      /is (shutting-down|terminated), not running: it may have passed its expiry/,
    );
  });

  it('without an instance id, takes the one live runner tagged with this execution, and refuses two', async () => {
    const id = await launch();
    await runnerSays(['Online']);
    const found = await resolve({});
    expect(found.outputs['instance-id']).toBe(id);
    const second = await launch();
    const ambiguous = await resolve({});
    expect(ambiguous.failure?.reason).toBe('runner_ambiguous');
    expect(ambiguous.failure?.message).toContain(id);
    expect(ambiguous.failure?.message).toContain(second);
  });

  it('fails when the agent never comes Online within the deadline, without waiting for real', async () => {
    const id = await launch();
    await runnerSays(['ConnectionLost']);
    const result = await resolve({ 'instance-id': id, 'agent-timeout-seconds': '60' });
    expect(result.failure?.reason).toBe('agent_offline');
    expect(result.failure?.message).toContain(`SSM agent on ${id} is ConnectionLost, not Online, after 60s`);
    expect(result.clock.now() - START).toBeGreaterThanOrEqual(55_000);
    expect(result.realMs).toBeLessThan(10_000);
  });

  it('fails when the ready marker does not appear in time, saying what it saw last', async () => {
    const id = await launch();
    await runnerSays(['Online'], ['NOT_READY status: running']);
    const result = await resolve({ 'instance-id': id, 'ready-timeout-seconds': '120' });
    expect(result.failure?.reason).toBe('runner_not_ready');
    expect(result.failure?.message).toContain('wrote no /var/lib/standby/ready.json within 120s');
    expect(result.failure?.message).toContain('status: running');
  });

  it('fails at once when user data finished without the marker', async () => {
    const id = await launch();
    const { sent } = await runnerSays(['Online'], ['NOT_READY status: error']);
    const result = await resolve({ 'instance-id': id });
    expect(result.failure?.reason).toBe('runner_not_ready');
    expect(result.failure?.message).toContain(
      'cloud-init finished (error) without writing /var/lib/standby/ready.json',
    );
    expect(sent).toHaveLength(1);
  });

  it('refuses an instance-id that is not one', async () => {
    const result = await resolve({ 'instance-id': 'i-0abc; rm -rf /' });
    expect(result.failure?.reason).toBe('invalid_input');
  });
});
