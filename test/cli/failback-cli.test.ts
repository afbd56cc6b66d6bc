import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { failbackCommand } from '../../src/cli/commands/failback.js';
import { EXIT, exitCodeOf } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { emulatorEnv } from '../../src/emulator/moto.js';
import { useEmulator } from '../helpers/emulator.js';
import { FIXTURE, readJson, seedPromoted, stateVersions, writePointer } from '../helpers/failback-fixture.js';
import { NODE24 } from '../helpers/run-dist.js';
import { captureTerminal } from '../helpers/terminal.js';

const emulator = useEmulator();

const BASE = [
  'failback',
  '--publish-bucket',
  FIXTURE.bucket,
  '--publish-prefix',
  FIXTURE.prefix,
  '--providers',
  FIXTURE.pairs.join(','),
  '--primary-run-id',
  FIXTURE.primary,
  '--dr-run-id',
  FIXTURE.dr,
];

describe('standby failback', () => {
  it('--help explains the exit codes and shows examples', async () => {
    const term = captureTerminal();
    expect(await runCli(['failback', '--help'], term)).toBe(EXIT.ok);
    const help = term.stdout.join('\n');
    expect(help).toContain('--confirm <dr-run-id>');
    expect(help).toContain('--run-prefix-template <template>');
    expect(help).toContain('(default: "runs/{run_id}/")');
    expect(help).toMatch(/Exit codes: 0 planned or applied/);
    expect(help).toContain('$ standby failback --publish-bucket my-publisher');
  });

  it('a dry run exits 0, prints the plan and writes nothing; progress goes to stderr', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const before = await stateVersions(aws.s3);
    const term = captureTerminal();
    expect(await runCli(BASE, term)).toBe(EXIT.ok);
    const text = term.stdout.join('\n');
    expect(text).toMatch(/Failback failback-\d{8}T\d{6}: planned/);
    expect(text).toMatch(/batch\/state\/last_success\.json\s+dr-42\s+run-41/);
    expect(term.stderr.join('\n')).toContain('reading 3 pointers');
    expect(term.stderr.join('\n')).toContain('leaves no receipts');
    expect(await stateVersions(aws.s3)).toEqual(before);
  });

  it('--apply without --confirm (no terminal to ask on) or with the wrong id exits 2 and changes nothing', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const before = await stateVersions(aws.s3);
    const withReceipts = [...BASE, '--receipt-bucket', FIXTURE.receipts, '--apply'];

    const silent = captureTerminal();
    expect(await runCli(withReceipts, silent)).toBe(EXIT.usage);
    expect(silent.stderr.join('\n')).toContain('--confirm is required with --apply');

    const wrong = captureTerminal();
    expect(await runCli([...withReceipts, '--confirm', 'run-41'], wrong)).toBe(EXIT.usage);
    expect(wrong.stderr.join('\n')).toContain("'run-41' is not the DR run id 'dr-42'; nothing was changed");

    const noReceipts = captureTerminal();
    expect(await runCli([...BASE, '--apply', '--confirm', FIXTURE.dr], noReceipts)).toBe(EXIT.usage);
    expect(noReceipts.stderr.join('\n')).toContain('--receipt-bucket is required with --apply');

    expect(await stateVersions(aws.s3)).toEqual(before);
  });

  it('--apply takes the confirmation from the prompt, switches the pointers and exits 0', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const term = captureTerminal();
    const questions: string[] = [];
    const command = failbackCommand(term, {
      ask: async (question) => {
        questions.push(question);
        return FIXTURE.dr;
      },
    });
    await command.parseAsync(
      [
        ...BASE.slice(1),
        '--apply',
        '--receipt-bucket',
        FIXTURE.receipts,
        '--execution-id',
        'cli-apply',
        '--json',
      ],
      { from: 'user' },
    );
    expect(questions[0]).toContain('Type the DR run id (dr-42)');
    expect(exitCodeOf(command)).toBe(EXIT.ok);
    const report = JSON.parse(term.stdout.join('\n'));
    expect(report.outcome).toBe('applied');
    expect(report.receipts.map((r: { uri: string }) => r.uri)).toEqual([
      's3://receipts/standby/receipts/cli-apply/failback-inputs.json',
      's3://receipts/standby/receipts/cli-apply/failback-verify-before.json',
      's3://receipts/standby/receipts/cli-apply/failback-plan.json',
      's3://receipts/standby/receipts/cli-apply/failback-apply.json',
      's3://receipts/standby/receipts/cli-apply/failback-verify-after.json',
    ]);
    expect((await readJson(aws.s3, FIXTURE.bucket, 'batch/state/last_success.json')).json.run_id).toBe(
      FIXTURE.primary,
    );
  });

  it('exits 3 when refused (pointers not on the DR run) and 2 on a missing required flag', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3, { pointerRunIds: { 'batch/state/last_success.json': 'run-40' } });
    const term = captureTerminal();
    expect(await runCli([...BASE, '--json'], term)).toBe(EXIT.attention);
    expect(JSON.parse(term.stdout.join('\n')).outcome).toBe('refused');

    const missing = captureTerminal();
    expect(await runCli(['failback', '--publish-bucket', FIXTURE.bucket], missing)).toBe(EXIT.usage);
    expect(missing.stderr.join('\n')).toContain("required option '--primary-run-id <id>' not specified");
  });

  it('exits 3 when the runs diverge, and 1 when apply stops on a pointer changed meanwhile', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3, { drFiles: { _SUCCESS: '', 'extra.csv': 'e' } });
    const term = captureTerminal();
    expect(await runCli([...BASE, '--json'], term)).toBe(EXIT.attention);
    expect(JSON.parse(term.stdout.join('\n')).divergence.onlyInDr).toEqual(['extra.csv']);

    const conflicted = captureTerminal();
    const command = failbackCommand(conflicted, {
      beforeApply: async (plan) => {
        await writePointer(aws.s3, plan[0]?.key ?? '', { run_id: 'dr-43' });
      },
    });
    await command.parseAsync(
      [
        ...BASE.slice(1),
        '--apply',
        '--confirm',
        FIXTURE.dr,
        '--receipt-bucket',
        FIXTURE.receipts,
        '--accept-divergence',
      ],
      { from: 'user' },
    );
    expect(exitCodeOf(command)).toBe(EXIT.failed);
    expect(conflicted.stdout.join('\n')).toMatch(/apply-failed/);
  });

  it('--json-out writes the same JSON report to a file while stdout stays text', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'failback-')), 'plan.json');
    const term = captureTerminal();
    expect(await runCli([...BASE, '--json-out', file], term)).toBe(EXIT.ok);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.outcome).toBe('planned');
    expect(term.stdout.join('\n')).toContain(`state digest ${report.stateDigest}`);
  });

  it('the bundled binary runs a dry run under Node 24', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const result = spawnSync(NODE24, ['dist/standby.js', ...BASE, '--json'], {
      env: { PATH: process.env.PATH, ...emulatorEnv(emulator.endpoint) },
      encoding: 'utf8',
    });
    expect(result.status).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout).plan).toHaveLength(3);
  });
});
