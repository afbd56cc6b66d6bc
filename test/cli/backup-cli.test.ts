import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { useEmulator } from '../helpers/emulator.js';
import { sourceTree } from '../helpers/standby-backup.js';
import { captureTerminal } from '../helpers/terminal.js';

useEmulator();

describe('standby backup / backup prune / activate on the command line', () => {
  it('--help lists the subcommand and examples', async () => {
    const term = captureTerminal();
    expect(await runCli(['backup', '--help'], term)).toBe(EXIT.ok);
    const help = term.stdout.join('\n');
    expect(help).toMatch(/--state-dir <value>[\s\S]*\(required\)/);
    expect(help).toContain('prune');
    const prune = captureTerminal();
    expect(await runCli(['backup', 'prune', '--help'], prune)).toBe(EXIT.ok);
    expect(prune.stdout.join('\n')).toMatch(/--keep-daily <value>[\s\S]*\(default: 14\)/);
    const activate = captureTerminal();
    expect(await runCli(['activate', '--help'], activate)).toBe(EXIT.ok);
    expect(activate.stdout.join('\n')).toMatch(/--confirm <value>[\s\S]*\(required\)/);
  });

  it('backs up, then restore-precheck on the prefix takes it, then prune (dry run) keeps it', async () => {
    await ensureBucket(new AwsClients().s3, 'backups');
    const { stateDir, manifestsDir } = sourceTree();
    const made = captureTerminal();
    expect(
      await runCli(
        [
          'backup',
          '--backup-uri',
          's3://backups/batch/backups/',
          '--state-dir',
          stateDir,
          '--manifests-dir',
          manifestsDir,
          '--json',
        ],
        made,
      ),
    ).toBe(EXIT.ok);
    const backup = JSON.parse(made.stdout.join('\n'));
    expect(backup.outputs['backup-id']).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$/); // 19.4: unique ids

    const checked = captureTerminal();
    expect(
      await runCli(['restore-precheck', '--backup-uri', 's3://backups/batch/backups/', '--json'], checked),
    ).toBe(EXIT.ok);
    expect(JSON.parse(checked.stdout.join('\n')).outputs['backup-uri']).toBe(backup.outputs['backup-uri']);

    const pruned = captureTerminal();
    expect(
      await runCli(['backup', 'prune', '--backup-uri', 's3://backups/batch/backups/', '--json'], pruned),
    ).toBe(EXIT.ok);
    expect(JSON.parse(pruned.stdout.join('\n')).outputs).toMatchObject({ mode: 'dry-run', deleted: [] });
  });

  it('exits 2 when neither or both manifest sources are given', async () => {
    const term = captureTerminal();
    expect(
      await runCli(
        ['backup', '--backup-uri', 's3://backups/batch/backups/', '--state-dir', '/tmp', '--json'],
        term,
      ),
    ).toBe(EXIT.usage);
    expect(JSON.parse(term.stdout.join('\n')).failure.message).toContain(
      'exactly one of manifests-dir and namespace',
    );
  });
});
