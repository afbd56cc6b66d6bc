import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { seedBackup } from '../helpers/backup.js';
import { useEmulator } from '../helpers/emulator.js';
import { s3Storm, throughFaultProxy } from '../helpers/fault-proxy.js';
import { captureTerminal } from '../helpers/terminal.js';

const emulator = useEmulator();

describe('standby restore-precheck', () => {
  it('--help shows the backup-uri flag, the RPO default and examples', async () => {
    const term = captureTerminal();
    expect(await runCli(['restore-precheck', '--help'], term)).toBe(EXIT.ok);
    const help = term.stdout.join('\n');
    expect(help).toMatch(/--backup-uri <value>[\s\S]*\(required\)/);
    expect(help).toMatch(/--max-backup-age-hours <value>[\s\S]*\(default: 26\)/);
    expect(help).toContain('$ standby restore-precheck --backup-uri s3://');
  });

  it('prints the integrity report as JSON and exits 0 for a good recent backup, 1 for a stale one', async () => {
    const recent = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const backup = await seedBackup(new AwsClients().s3, { createdUtc: recent });
    const term = captureTerminal();
    expect(await runCli(['restore-precheck', '--backup-uri', backup.uri, '--json'], term)).toBe(EXIT.ok);
    const report = JSON.parse(term.stdout.join('\n'));
    expect(report.outputs['backup-age-hours']).toBeCloseTo(2, 1);
    expect(report.outputs.integrity).toHaveLength(2);

    const strict = captureTerminal();
    expect(
      await runCli(
        ['restore-precheck', '--backup-uri', backup.uri, '--max-backup-age-hours', '1', '--json'],
        strict,
      ),
    ).toBe(EXIT.failed);
    expect(JSON.parse(strict.stdout.join('\n')).failure.reason).toBe('backup_too_old');
  });

  it('19.7: a HEAD 500 storm exits 1 with backup_unavailable, never integrity_failed', async () => {
    const recent = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const backup = await seedBackup(new AwsClients().s3, { createdUtc: recent });
    const term = captureTerminal();
    const code = await throughFaultProxy(emulator.endpoint, [s3Storm('HEAD', `/${backup.folder}/`)], () =>
      runCli(['restore-precheck', '--backup-uri', backup.uri, '--json'], term),
    );
    expect(code).toBe(EXIT.failed);
    const report = JSON.parse(term.stdout.join('\n'));
    expect(report.failure.reason).toBe('backup_unavailable');
    expect(report.outputs.candidates.map((c: { verdict: string }) => c.verdict)).toEqual(['unavailable']);
    expect(report.outputs.integrity.map((c: { result: string }) => c.result)).toEqual([
      'unavailable',
      'unavailable',
    ]);
  });

  it('exits with the usage code on a malformed backup-uri', async () => {
    const term = captureTerminal();
    expect(await runCli(['restore-precheck', '--backup-uri', 'https://example.com/x'], term)).toBe(
      EXIT.usage,
    );
  });
});
