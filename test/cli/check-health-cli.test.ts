import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { emulatorEnv } from '../../src/emulator/moto.js';
import { useEmulator } from '../helpers/emulator.js';
import { seedPublisher } from '../helpers/publisher.js';
import { NODE24 } from '../helpers/run-dist.js';
import { captureTerminal } from '../helpers/terminal.js';

const emulator = useEmulator();

describe('standby check-health', () => {
  it('--help lists every input as a flag, with defaults and an example', async () => {
    const term = captureTerminal();
    expect(await runCli(['check-health', '--help'], term)).toBe(EXIT.ok);
    const help = term.stdout.join('\n');
    expect(help).toMatch(/--publish-bucket <value>\s+Bucket the batch system publishes to.\s+\(required\)/);
    expect(help).toMatch(/--max-freshness-hours <value>[\s\S]*\(default: 26\)/);
    expect(help).toContain('--force-run [true|false]');
    expect(help).toContain('$ standby check-health --publish-bucket my-publisher');
  });

  it('exits 3 with --json when DR is needed, 0 when healthy', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: ['acme/daily'], endedAt: '2026-01-01T00:00:00Z' });
    const term = captureTerminal();
    const args = [
      'check-health',
      '--publish-bucket',
      'publisher',
      '--publish-prefix',
      'batch',
      '--providers',
      'acme/daily',
      '--json',
    ];
    expect(await runCli(args, term)).toBe(EXIT.attention);
    const report = JSON.parse(term.stdout.join('\n'));
    expect(report).toMatchObject({
      phase: 'check-health',
      status: 'ok',
      outputs: { 'needs-dr': true },
      receipt: null,
    });
    expect(report.outputs.reasons[0].code).toBe('stale');

    await seedPublisher(aws.s3, { pairs: ['acme/daily'] });
    expect(await runCli(args, captureTerminal())).toBe(EXIT.ok);
  });

  it('prints a readable table without colour when not on a terminal', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: ['acme/daily'], missingMarkers: ['acme/daily'] });
    const term = captureTerminal(false);
    await runCli(
      [
        'check-health',
        '--publish-bucket',
        'publisher',
        '--publish-prefix',
        'batch',
        '--providers',
        'acme/daily',
      ],
      term,
    );
    const text = term.stdout.join('\n');
    expect(text).toMatch(/Signal\s+Status\s+Detail/);
    expect(text).toMatch(/acme\/daily\s+expected marker file is missing/);
    expect(text).not.toContain('\u001b[');
    expect(text).not.toContain('|');
  });

  it('exits 2 on a bad value and says which input', async () => {
    const term = captureTerminal();
    const code = await runCli(
      [
        'check-health',
        '--publish-bucket',
        'publisher',
        '--providers',
        'acme/daily',
        '--force-run',
        'maybe',
        '--json',
      ],
      term,
    );
    expect(code).toBe(EXIT.usage);
    expect(JSON.parse(term.stdout.join('\n')).failure.message).toBe(
      "--force-run: expected true or false, got 'maybe'",
    );
  });

  it('exits 2 on an unknown flag', async () => {
    const term = captureTerminal();
    expect(await runCli(['check-health', '--no-such-flag'], term)).toBe(EXIT.usage);
    expect(term.stderr.join('\n')).toContain("unknown option '--no-such-flag'");
  });

  it('the bundled binary runs under Node 24 with the same exit codes', async () => {
    const aws = new AwsClients();
    await seedPublisher(aws.s3, { pairs: ['acme/daily'] });
    const result = spawnSync(
      NODE24,
      [
        'dist/standby.js',
        'check-health',
        '--publish-bucket',
        'publisher',
        '--publish-prefix',
        'batch',
        '--providers',
        'acme/daily',
        '--json',
      ],
      {
        env: { PATH: process.env.PATH, ...emulatorEnv(emulator.endpoint) },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).outputs['publish-correct']).toBe(true);
  });
});
