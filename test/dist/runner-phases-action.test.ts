import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { emulatorEnv } from '../../src/emulator/moto.js';
import { seedBackup } from '../helpers/backup.js';
import { useEmulator } from '../helpers/emulator.js';
import { runDistAction } from '../helpers/run-dist.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';
import { startSsmProxy } from '../helpers/ssm-proxy.js';

const emulator = useEmulator();
let proxy: Awaited<ReturnType<typeof startSsmProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('dist bundles of the runner phases, run on node24 the way Actions runs them', () => {
  it('ships the runner scripts beside the bundle, byte for byte', () => {
    for (const script of ['restore.sh', 'restore-plan.jq', 'validate.sh']) {
      expect(existsSync(path.join('dist', script))).toBe(true);
      expect(readFileSync(path.join('dist', script), 'utf8')).toBe(
        readFileSync(path.join('src/runner', script), 'utf8'),
      );
    }
  });

  it('dist/restore-precheck.js proves a backup on the emulator', async () => {
    const backup = await seedBackup(new AwsClients().s3, {
      createdUtc: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const run = await runDistAction(
      'restore-precheck.js',
      { 'backup-uri': backup.uri },
      emulatorEnv(emulator.endpoint),
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs['backup-id']).toBe('bk-20261122');
    expect(JSON.parse(run.outputs.integrity ?? '[]').map((c: { result: string }) => c.result)).toEqual([
      'ok',
      'ok',
    ]);
  });

  it('dist/validate.js sends the bundled validate.sh through SSM (the proxy runs what arrives)', async () => {
    let delivered = '';
    proxy = await startSsmProxy(emulator.endpoint, async (action, body, forward) => {
      if (action === 'SendCommand')
        delivered = (body.Parameters as { commands: string[] }).commands.join('\n');
      if (action !== 'GetCommandInvocation') return undefined;
      // moto returns empty output; answer with what the delivered commands print on a stub runner.
      const ran = spawnSync('sh', ['-c', delivered], {
        env: {
          PATH: `${path.resolve('test/fixtures/runner/bin')}:${process.env.PATH}`,
          STUB_DIR: stubDir(),
          STANDBY_TEST_NODE: process.execPath,
        },
        encoding: 'utf8',
      });
      const answer = await forward();
      answer.json = { ...answer.json, Status: 'Success', ResponseCode: 0, StandardOutputContent: ran.stdout };
      return answer;
    });
    const run = await runDistAction(
      'validate.js',
      {
        'instance-id': 'i-0123456789abcdef0',
        namespace: 'jobintel',
        cronjobs: 'jobintel-daily',
        'ready-timeout-seconds': '0',
      },
      { ...emulatorEnv(emulator.endpoint), AWS_ENDPOINT_URL_SSM: proxy.endpoint },
    );
    expect(run.outputs.result).toBe('passed');
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('ip-10-0-1-23 Ready');
  });
});

/** A runner after a restore: the fake k3s holds namespace jobintel and its (suspended) CronJobs. */
function stubDir(): string {
  return new RunnerSandbox({ cluster: 'restored' }).dir;
}
