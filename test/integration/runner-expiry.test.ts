import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { ssmScriptRunner } from '../../src/aws/ssm-runner.js';
import { useEmulator } from '../helpers/emulator.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { startSsmProxy } from '../helpers/ssm-proxy.js';

// restore and validate send their scripts through ssmScriptRunner: before each script the runner's
// dead-man switch is pushed past the script's own deadline (plus an hour for the next phase).
const emulator = useEmulator();
let proxy: Awaited<ReturnType<typeof startSsmProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  delete process.env.AWS_ENDPOINT_URL_SSM;
});

const ec2 = () => new EC2Client({ region: 'us-east-1' });
async function runner(expiresAt: string) {
  const run = await ec2().send(
    new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't4g.small' }),
  );
  const id = run.Instances?.[0]?.InstanceId as string;
  await ec2().send(
    new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'standby-expires-at', Value: expiresAt }] }),
  );
  return id;
}
async function expiry(id: string) {
  const answer = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return answer.Reservations?.[0]?.Instances?.[0]?.Tags?.find((t) => t.Key === 'standby-expires-at')?.Value;
}
async function ssmAnswersSuccess() {
  proxy = await startSsmProxy(emulator.endpoint, async (action, _body, forward) => {
    if (action !== 'GetCommandInvocation') return undefined;
    const answer = await forward();
    return {
      status: 200,
      json: { ...answer.json, Status: 'Success', ResponseCode: 0, StandardOutputContent: '{}' },
    };
  });
  process.env.AWS_ENDPOINT_URL_SSM = proxy.endpoint;
}

describe('scripts sent to the runner keep it alive', () => {
  it('extends the expiry past the script deadline plus an hour before sending the script', async () => {
    const id = await runner('2026-11-28T07:30:00Z');
    await ssmAnswersSuccess();
    const clock = fakeClock(Date.parse('2026-11-28T07:00:00Z'));
    const progress: string[] = [];
    const run = ssmScriptRunner(new AwsClients(), {
      ...clock,
      progress: (m) => progress.push(m),
      firstDelayMs: 10,
    });
    const outcome = await run({ script: 'validate.sh', instanceId: id, env: {}, timeoutSeconds: 1800 });
    expect(outcome.status).toBe('Success');
    expect(await expiry(id)).toBe('2026-11-28T08:30:00Z'); // 07:00 + 30 min + 60 min
    expect(progress[0]).toBe(
      `runner ${id} expiry extended to 2026-11-28T08:30:00Z (was 2026-11-28T07:30:00Z)`,
    );
    expect(proxy?.calls).toContain('SendCommand');
  });

  it('a failed extension is reported and the script still runs', async () => {
    await ssmAnswersSuccess();
    const progress: string[] = [];
    const run = ssmScriptRunner(new AwsClients(), {
      ...fakeClock(),
      progress: (m) => progress.push(m),
      firstDelayMs: 10,
    });
    const outcome = await run({
      script: 'validate.sh',
      instanceId: 'i-0123456789abcdef0',
      env: {},
      timeoutSeconds: 60,
    });
    expect(outcome.status).toBe('Success');
    expect(progress[0]).toMatch(/^warning: could not extend the expiry of i-0123456789abcdef0: /);
  });
});
