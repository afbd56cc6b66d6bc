import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RunnerSandbox } from './runner-sandbox.js';
import { ssmError, startSsmProxy } from './ssm-proxy.js';

export type FakeRunner = Awaited<ReturnType<typeof startSsmProxy>>;

/**
 * The runner, as far as a test can have one. moto's Run Command returns Success with EMPTY output and
 * runs nothing, so this proxy (the seam the tests control) keeps moto's SendCommand and
 * GetCommandInvocation but fills StandardOutputContent: by default it runs the exact commands SendCommand
 * carried under `sh`, with the stub k3s/aws of a RunnerSandbox on PATH, the way AWS-RunShellScript would.
 * Sets AWS_ENDPOINT_URL_SSM to the proxy; the caller closes it and unsets the variable.
 */
export async function fakeRunner(
  emulatorEndpoint: string,
  sandbox: RunnerSandbox,
  options: { notYet?: number; stdout?: (real: string) => string } = {},
): Promise<FakeRunner> {
  const outputs = new Map<string, { stdout: string; stderr: string; code: number }>();
  let misses = options.notYet ?? 0;
  const proxy = await startSsmProxy(emulatorEndpoint, async (action, body, forward) => {
    if (action === 'SendCommand') {
      const answer = await forward();
      const commands = (body.Parameters as { commands: string[] }).commands.join('\n');
      sandbox.write('ssm-commands.sh', commands);
      // The runner's /var/lib/standby is the sandbox's, through a private mount namespace: the real
      // path the phase sends, without touching this machine's /var/lib.
      const base = sandbox.path('var-lib-standby');
      mkdirSync(base, { recursive: true });
      const run = spawnSync(
        'unshare',
        [
          '-m',
          'sh',
          '-c',
          'mkdir -p /var/lib/standby && mount --bind "$0" /var/lib/standby && exec sh "$1"',
          base,
          sandbox.path('ssm-commands.sh'),
        ],
        {
          env: {
            PATH: `${path.resolve('test/fixtures/runner/bin')}:${process.env.PATH}`,
            STUB_DIR: sandbox.dir,
            // No HOME: AWS-RunShellScript runs without one (github.com/aws/amazon-ssm-agent/issues/427).
            STANDBY_TEST_NODE: process.execPath,
          },
          encoding: 'utf8',
        },
      );
      outputs.set((answer.json.Command as { CommandId: string }).CommandId, {
        stdout: run.stdout,
        stderr: run.stderr,
        code: run.status ?? -1,
      });
      return answer;
    }
    if (action === 'GetCommandInvocation') {
      if (misses-- > 0)
        return ssmError('InvocationDoesNotExist', 'An error occurred (InvocationDoesNotExist)');
      const answer = await forward();
      const ran = outputs.get(String(body.CommandId));
      const stdout = options.stdout ? options.stdout(ran?.stdout ?? '') : (ran?.stdout ?? '');
      const failed = ran !== undefined && ran.code !== 0;
      answer.json = {
        ...answer.json,
        StandardOutputContent: stdout,
        StandardErrorContent: ran?.stderr ?? '',
        ...(failed ? { Status: 'Failed', ResponseCode: ran?.code } : {}),
      };
      return answer;
    }
    return undefined;
  });
  process.env.AWS_ENDPOINT_URL_SSM = proxy.endpoint;
  return proxy;
}
