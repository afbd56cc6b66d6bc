import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { emulatorEnv } from '../../src/emulator/moto.js';
import { ReceiptSchema } from '../../src/receipts/envelope.js';
import { useEmulator } from '../helpers/emulator.js';
import { captureTerminal } from '../helpers/terminal.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('standby drill --local (the README main job)', () => {
  it('runs the pipeline on its own emulator, reports what did not run, and its evidence verifies only as an emulator bundle', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'standby-drill-test-'));
    dirs.push(base);
    const evidenceDir = path.join(base, 'evidence');
    const term = captureTerminal();
    const saved = { ...process.env };
    let code: number;
    try {
      code = await runCli(
        ['drill', '--local', '--json', '--execution-id', 'local-test-1', '--evidence-dir', evidenceDir],
        term,
      );
    } finally {
      process.env = saved;
    }
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(term.stdout.join('\n'));

    const byPhase = Object.fromEntries(
      report.timeline.map((t: { phase: string; status: string }) => [t.phase, t.status]),
    );
    expect(byPhase).toEqual({
      'check-health': 'ok',
      'restore-precheck': 'ok',
      bringup: 'skipped',
      'resolve-runner': 'skipped',
      restore: 'skipped',
      validate: 'skipped',
      notify: 'ok',
      'request-approval': 'ok',
      promote: 'skipped',
      teardown: 'skipped',
    });
    expect(report.rpoHours).toBeGreaterThanOrEqual(6);
    expect(report.rpoHours).toBeLessThan(6.1);
    expect(report.rtoSeconds).toBeGreaterThanOrEqual(0);
    expect(report.evidence.verified).toBe(true);
    expect(report.evidence.emulator.accepted).toBe(true);
    expect(report.evidence.alarm.transition).toBeTruthy();

    // Receipts in the bundle: one per phase, chained, not-run phases say so and why.
    const receiptFiles = (await readdir(path.join(evidenceDir, 'receipts'))).sort();
    expect(receiptFiles).toHaveLength(10);
    const bringup = ReceiptSchema.parse(
      JSON.parse(await readFile(path.join(evidenceDir, 'receipts', 'bringup.json'), 'utf8')),
    );
    expect(bringup).toMatchObject({
      status: 'skipped',
      outputs: { 'not-run': expect.stringContaining('Terraform') },
      execution_id: 'local-test-1',
    });
    expect(bringup.target).toEqual({ name: 'default', kind: 'k3s' });
    expect(report.target).toEqual({ name: 'default', kind: 'k3s' });
    expect(bringup.aws.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bringup.previous?.key).toMatch(/restore-precheck\.json$/);

    // The reviewer summary carries the restore preview of the demo backup (issue 23.4): the restore's
    // own plan over its manifests, with no runner (restore itself did not run here).
    const approval = ReceiptSchema.parse(
      JSON.parse(await readFile(path.join(evidenceDir, 'receipts', 'request-approval.json'), 'utf8')),
    );
    const shown = (approval.outputs['summary-json'] as { restore_preview?: Record<string, unknown> })
      .restore_preview;
    expect(shown).toMatchObject({
      preview: { namespace: 'jobintel', plan: { state: { claim: 'jobintel-state' } } },
    });
    const planned = (shown?.preview as { plan?: { objects: Array<{ id: string }> } } | undefined)?.plan
      ?.objects;
    expect(planned?.map((o) => o.id)).toEqual(expect.arrayContaining(['Namespace//jobintel']));
    expect(report.restorePreview).toEqual(shown);

    // The report receipt's cost (issue 23.6): no runner ran here, so only restore-precheck's S3 reads,
    // counted on the wire, are priced; the receipt says why the runner costs nothing.
    const notify = ReceiptSchema.parse(
      JSON.parse(await readFile(path.join(evidenceDir, 'receipts', 'notify.json'), 'utf8')),
    );
    expect(report.cost).toEqual(notify.outputs.cost);
    expect(report.cost).toMatchObject({ status: 'priced', region: 'us-east-1', instance_type: null });
    const lines = report.cost.lines as Array<{ item: string; quantity: number }>;
    expect(lines[0]?.quantity).toBe(0);
    expect(lines.find((l) => l.item.startsWith('S3 GET'))?.quantity).toBeGreaterThan(0);
    expect(report.cost.notes.join(' ')).toContain('no successful bringup receipt');

    // Without --accept-emulator the same bundle is refused.
    const strict = captureTerminal();
    expect(await runCli(['evidence', 'check', evidenceDir], strict)).toBe(EXIT.attention);
    expect(strict.stdout.join('\n') + strict.stderr.join('\n')).toMatch(/emulator/i);
  }, 120_000);
});

describe('standby drill --local shows the restore preview (issue 23.4)', () => {
  // On the Jest worker's emulator (reset first) through --endpoint-url: the test above already starts and
  // stops one of the drill's own, and a moto start costs about a second and a half of CPU.
  const moto = useEmulator();
  it('prints what the restore would apply to the demo backup, held, from the restore’s own plan', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'standby-drill-test-'));
    dirs.push(base);
    const term = captureTerminal();
    const saved = { ...process.env };
    try {
      // The rehearsal is handed its endpoint: no AWS setting in the environment may reach it.
      for (const key of Object.keys(emulatorEnv(moto.endpoint))) delete process.env[key];
      const args = ['drill', '--local', '--execution-id', 'local-preview-1', '--endpoint-url', moto.endpoint];
      expect(await runCli([...args, '--evidence-dir', path.join(base, 'evidence')], term)).toBe(EXIT.ok);
    } finally {
      process.env = saved;
    }
    const text = term.stdout.join('\n');
    expect(text).toContain('Restore preview');
    expect(text).toContain('State claim jobintel-state');
    expect(text).toMatch(/CronJob .*jobintel\/\S+ .*suspend false \(held suspended\)/);
  }, 120_000);
});

describe('standby drill --local --plan (plan-only drill)', () => {
  it('writes a plan bundle whose manifest is byte-identical across two runs on the same inputs', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'standby-plan-test-'));
    dirs.push(base);
    const runPlan = async (dir: string) => {
      const term = captureTerminal();
      const saved = { ...process.env };
      try {
        return {
          code: await runCli(
            ['drill', '--local', '--plan', '--json', '--execution-id', 'plan-7', '--evidence-dir', dir],
            term,
          ),
          report: JSON.parse(term.stdout.join('\n')),
        };
      } finally {
        process.env = saved;
      }
    };
    const first = await runPlan(path.join(base, 'one'));
    const second = await runPlan(path.join(base, 'two'));
    expect(second.code).toBe(EXIT.ok);
    expect(first.code).toBe(EXIT.ok);
    expect(
      first.report.timeline.map((t: { phase: string; status: string }) => `${t.phase}:${t.status}`),
    ).toEqual(['check-health:ok', 'restore-precheck:ok', 'bringup:skipped']);
    const read = (run: string, file: string) => readFile(path.join(base, run, file));
    expect((await read('one', 'plan-manifest.json')).equals(await read('two', 'plan-manifest.json'))).toBe(
      true,
    );
    expect((await read('one', 'run-record.json')).equals(await read('two', 'run-record.json'))).toBe(false);
    const manifest = JSON.parse((await read('one', 'plan-manifest.json')).toString());
    expect(manifest.phases.map((p: { phase: string }) => p.phase)).toEqual([
      'check-health',
      'restore-precheck',
      'bringup',
    ]);
    const bringup = JSON.parse((await read('one', 'plan/bringup.json')).toString());
    expect(bringup).toMatchObject({ status: 'skipped', inputs: { 'plan-only': 'true' } });
  }, 120_000);
});
