import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from '@jest/globals';
import { CommandTimeoutError, runShellCommand, SSM_OUTPUT_LIMIT } from '../../src/aws/ssm-command.js';
import { buildShellCommands } from '../../src/aws/ssm-script.js';
import { parseRunnerReport } from '../../src/runner/report.js';
import { RestoreReportSchema } from '../../src/runner/restore-report.js';
import { loadRunnerScript } from '../../src/runner/scripts.js';

type Call = { name: string; input: Record<string, unknown> };

/** An SSMClient stand-in answering each command from a script of responses; records calls and sleeps. */
function fakeSsm(invocations: Array<Record<string, unknown> | Error>) {
  const calls: Call[] = [];
  const sleeps: number[] = [];
  let clock = 0;
  const ssm = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push({ name, input: command.input });
      if (name === 'SendCommandCommand') return { Command: { CommandId: 'cmd-1' } };
      if (name === 'CancelCommandCommand') return {};
      const next = invocations.length > 1 ? invocations.shift() : invocations[0];
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as SSMClient;
  const options = {
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    firstDelayMs: 1000,
    maxDelayMs: 4000,
    graceMs: 0,
  };
  return { ssm, calls, sleeps, options };
}

function notYet(): Error {
  return Object.assign(new Error('Invocation does not exist'), { name: 'InvocationDoesNotExist' });
}

const request = {
  instanceId: 'i-0123456789abcdef0',
  commands: ['echo hi'],
  timeoutSeconds: 30,
  comment: 'test',
};

describe('runShellCommand', () => {
  it('retries InvocationDoesNotExist right after SendCommand, then returns the Success output', async () => {
    const fake = fakeSsm([
      notYet(),
      notYet(),
      { Status: 'InProgress' },
      { Status: 'Success', ResponseCode: 0, StandardOutputContent: '{"x":1}\n' },
    ]);
    const outcome = await runShellCommand(fake.ssm, request, fake.options);
    expect(outcome).toMatchObject({
      commandId: 'cmd-1',
      status: 'Success',
      responseCode: 0,
      stdoutTruncated: false,
    });
    expect(fake.sleeps).toEqual([1000, 2000, 4000, 4000]);
    const sent = fake.calls[0]?.input as { DocumentName: string; Parameters: Record<string, string[]> };
    expect(sent.DocumentName).toBe('AWS-RunShellScript');
    expect(sent.Parameters.executionTimeout).toEqual(['30']);
  });

  it('cancels and throws past the wall-clock deadline', async () => {
    const fake = fakeSsm([{ Status: 'InProgress' }]);
    await expect(runShellCommand(fake.ssm, request, fake.options)).rejects.toThrow(CommandTimeoutError);
    expect(fake.calls.at(-1)?.name).toBe('CancelCommandCommand');
    expect(fake.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30_000);
  });

  it('flags output that reached the 24,000-character limit', async () => {
    const fake = fakeSsm([
      { Status: 'Success', ResponseCode: 0, StandardOutputContent: 'x'.repeat(SSM_OUTPUT_LIMIT) },
    ]);
    expect((await runShellCommand(fake.ssm, request, fake.options)).stdoutTruncated).toBe(true);
  });

  it('does not swallow other errors', async () => {
    const fake = fakeSsm([Object.assign(new Error('denied'), { name: 'AccessDeniedException' })]);
    await expect(runShellCommand(fake.ssm, request, fake.options)).rejects.toThrow('denied');
  });
});

describe('buildShellCommands', () => {
  it('delivers the script intact and values as data, even hostile ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'standby-ssm-'));
    const marker = path.join(dir, 'pwned');
    const script = {
      name: 'restore.sh' as const,
      text: '#!/usr/bin/env bash\nprintf "%s|%s" "$STANDBY_NAMESPACE" "$STANDBY_OTHER"\n',
      sha256: 'x',
    };
    const hostile = `jobintel'; touch ${marker}; echo '$(touch ${marker})\`touch ${marker}\``;
    const commands = buildShellCommands(script, {
      STANDBY_NAMESPACE: hostile,
      STANDBY_OTHER: 'two words\nand a newline',
    });
    // AWS-RunShellScript runs the commands as one sh script.
    const run = spawnSync('sh', ['-c', commands.join('\n')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${hostile}|two words\nand a newline`);
    expect(existsSync(marker)).toBe(false);
    expect(commands.join('\n')).not.toContain('touch');
  });

  it('carries the real script byte for byte and refuses odd variable names', () => {
    const script = loadRunnerScript('validate.sh');
    const commands = buildShellCommands(script, {});
    const encoded = /printf '%s' '([A-Za-z0-9+/=]+)' \| base64 -d > /.exec(commands.join('\n'))?.[1] ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(script.text);
    expect(commands[0]).toContain(script.sha256);
    expect(() => buildShellCommands(script, { 'X; rm': 'a' })).toThrow(/STANDBY_/);
  });

  it('delivers restore.sh with its plan (restore-plan.jq) beside it, byte for byte', () => {
    const script = loadRunnerScript('restore.sh');
    const plan = readFileSync(path.resolve('src/runner/restore-plan.jq'), 'utf8');
    expect(script.companions.map((c) => c.name)).toEqual(['restore-plan.jq']);
    const dir = mkdtempSync(path.join(tmpdir(), 'standby-ssm-'));
    // Run the delivery with `bash` swapped for a copy out of the scratch directory.
    const commands = buildShellCommands(script, {}).map((line) =>
      line.startsWith('bash ') ? `cp "$standby_dir"/* '${dir}'/` : line,
    );
    const run = spawnSync('sh', ['-c', commands.join('\n')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(dir, 'restore-plan.jq'), 'utf8')).toBe(plan);
    expect(readFileSync(path.join(dir, 'restore.sh'), 'utf8')).toBe(script.text);
  });
});

describe('parseRunnerReport fails closed', () => {
  const base = { commandId: 'cmd-1', status: 'Success', responseCode: 0, stderr: '', stdoutTruncated: false };
  const good = {
    schema: 'standby.restore-report/v2',
    script_version: 2,
    ok: true,
    step: 'done',
    error: null,
    verified: [],
    files_restored: 1,
    state: null,
    manifests_applied: 1,
    applied: ['Namespace//jobintel'],
    applied_truncated: false,
    control_plane_applied: false,
    cronjobs: [],
    cronjobs_suspended: [],
    cronjobs_active: [],
  };

  it('parses the last stdout line', () => {
    expect(
      parseRunnerReport(
        { ...base, stdout: `noise\n${JSON.stringify(good)}\n` },
        RestoreReportSchema,
        'restore.sh',
      ).ok,
    ).toBe(true);
  });

  it('refuses truncated, non-JSON, incomplete and timed-out output', () => {
    const text = JSON.stringify(good);
    expect(() =>
      parseRunnerReport({ ...base, stdout: text, stdoutTruncated: true }, RestoreReportSchema, 'restore.sh'),
    ).toThrow(/truncated/);
    expect(() =>
      parseRunnerReport({ ...base, stdout: text.slice(0, 40) }, RestoreReportSchema, 'restore.sh'),
    ).toThrow(/no JSON report/);
    expect(() =>
      parseRunnerReport(
        { ...base, status: 'Failed', responseCode: 127, stdout: '', stderr: 'bash: jq: command not found' },
        RestoreReportSchema,
        'restore.sh',
      ),
    ).toThrow(/exit 127, stderr: bash: jq: command not found/);
    expect(() =>
      parseRunnerReport(
        { ...base, stdout: JSON.stringify({ ...good, files_restored: undefined }) },
        RestoreReportSchema,
        'restore.sh',
      ),
    ).toThrow(/incomplete: files_restored/);
    expect(() =>
      parseRunnerReport({ ...base, status: 'TimedOut', stdout: text }, RestoreReportSchema, 'restore.sh'),
    ).toThrow(/TimedOut/);
  });
});
