import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { emulatorEnv } from '../../src/emulator/moto.js';
import { FAULT_KINDS, judgeNegativeDrill, type PlantedFault } from '../../src/local/negative-drill.js';
import type { TimelineEntry } from '../../src/local/run-steps.js';
import { useEmulator } from '../helpers/emulator.js';
import { captureTerminal } from '../helpers/terminal.js';

// The drills run on the Jest worker's emulator (reset before every test) through --endpoint-url, instead of
// each starting and stopping its own moto (about a second and a half of CPU each); drill-local.test.ts
// runs the rehearsal on an emulator it starts itself.
const moto = useEmulator();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function negativeDrill(fault: string) {
  const base = await mkdtemp(path.join(tmpdir(), 'standby-negative-'));
  dirs.push(base);
  const term = captureTerminal();
  const saved = { ...process.env };
  let code: number;
  try {
    // The rehearsal is handed its endpoint: no AWS setting in the environment may reach it.
    for (const key of Object.keys(emulatorEnv(moto.endpoint))) delete process.env[key];
    code = await runCli(
      [
        ...['drill', '--local', '--json', '--fault', fault, '--endpoint-url', moto.endpoint],
        ...['--evidence-dir', path.join(base, 'evidence')],
      ],
      term,
    );
  } finally {
    process.env = saved;
  }
  return { code, report: JSON.parse(term.stdout.join('\n')), base };
}

const statusOf = (report: { timeline: TimelineEntry[] }) =>
  Object.fromEntries(report.timeline.map((t) => [t.phase, t.status]));

describe('negative drills through the local rehearsal (issue 23.7): each fault kind is refused as designed', () => {
  it('corrupt-newest-backup: the corrupted newer backup is refused (integrity_failed), the older good one chosen', async () => {
    const { code, report, base } = await negativeDrill('corrupt-newest-backup');
    expect(report.negative.passed).toBe(true);
    expect(code).toBe(EXIT.ok);
    expect(statusOf(report)['restore-precheck']).toBe('ok');
    expect(report.negative.expectations.map((e: { held: boolean }) => e.held)).toEqual([true, true]);
    // The verdict is written beside the bundle.
    const written = JSON.parse(await readFile(path.join(base, 'negative-drill.json'), 'utf8'));
    expect(written).toEqual(report.negative);
  });

  it('future-backup: a backup created two days from now is set aside (in_future), the good one chosen', async () => {
    const { code, report } = await negativeDrill('future-backup');
    expect(report.negative.passed).toBe(true);
    expect(code).toBe(EXIT.ok);
    expect(report.negative.expectations[0].saw).toBe('in_future');
  });

  it("resigned-newest-backup: a newer backup signed by another key is refused (signature_invalid) under the deployment's key, the good one chosen", async () => {
    const { code, report } = await negativeDrill('resigned-newest-backup');
    expect(report.negative.passed).toBe(true);
    expect(code).toBe(EXIT.ok);
    expect(report.negative.planted.verifyKey).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    expect(report.negative.expectations.map((e: { saw: string }) => e.saw)).toEqual([
      'signature_invalid',
      'ok; bk-demo-0400: chosen',
    ]);
  });

  it('corrupt-only-backup: restore-precheck fails integrity_failed and nothing after it runs (no runner, no spend)', async () => {
    const { code, report } = await negativeDrill('corrupt-only-backup');
    expect(report.negative.passed).toBe(true);
    expect(code).toBe(EXIT.ok);
    expect(report.timeline.find((t: TimelineEntry) => t.phase === 'restore-precheck').reason).toBe(
      'integrity_failed',
    );
    expect(Object.keys(statusOf(report))).toEqual(['check-health', 'restore-precheck']);
    expect(report.evidence.verified).toBe(false);
  });

  it('unpinned-image: the intact tagged backup is taken and the reviewer summary flags the tag as not pinned by digest', async () => {
    const { code, report } = await negativeDrill('unpinned-image');
    expect(report.negative.passed).toBe(true);
    expect(code).toBe(EXIT.ok);
    expect(report.negative.planted.image).toBe('registry.example.com/jobintel:latest');
    expect(report.negative.expectations.map((e: { saw: string }) => e.saw)).toEqual([
      'ok; bk-demo-0900-tagged: chosen',
      'unpinned: registry.example.com/jobintel:latest',
      'none succeeded',
    ]);
    expect(report.restorePreview.preview.backup_uri).toContain('bk-demo-0900-tagged');
    expect(statusOf(report).promote).toBe('skipped');
  });

  it("forged-approval: a well-formed approval receipt PutObject'd into an alarm execution is refused by activation (approval_unproven, GitHub shows no review), nothing sent to the runner", async () => {
    const { code, report } = await negativeDrill('forged-approval');
    expect(report.negative.passed).toBe(true);
    expect(code).toBe(EXIT.ok);
    const activate = report.timeline.find((t: TimelineEntry) => t.phase === 'activate');
    expect(activate).toMatchObject({ status: 'failed', reason: 'approval_unproven' });
    expect(activate.note).toBe(
      "GitHub has no decided review of environment 'dr-promotion' on run 4242424242 of standby-demo/jobintel",
    );
    expect(activate.receiptUri).toMatch(/standby\/receipts\/alarm-4242424242\/activate\.json$/);
    expect(report.negative.expectations.map((e: { held: boolean }) => e.held)).toEqual([true, true, true]);
    // The rehearsal's own execution is untouched: its pipeline ran as usual.
    expect(statusOf(report)['request-approval']).toBe('ok');
  });

  it('stale-state-marker needs a runner: locally it is a usage error naming the runner sandbox test', async () => {
    const term = captureTerminal();
    expect(await runCli(['drill', '--local', '--fault', 'stale-state-marker'], term)).toBe(EXIT.usage);
    const help = captureTerminal();
    await runCli(['drill', '--help'], help);
    expect(help.stdout.join('\n')).toContain('Needs a runner');
  });

  it('an unknown fault kind is a usage error', async () => {
    const term = captureTerminal();
    expect(await runCli(['drill', '--local', '--fault', 'corrupt-everything'], term)).toBe(EXIT.usage);
    expect(term.stderr.join('\n')).toContain(FAULT_KINDS[0]);
  });
});

describe('the negative-drill judge fails a drill whose safety check did not fire', () => {
  const precheck = (status: TimelineEntry['status'], reason?: string): TimelineEntry => ({
    phase: 'restore-precheck',
    status,
    durationMs: 1,
    note: '',
    ...(reason ? { reason } : {}),
  });
  const corruptNewest: PlantedFault = { kind: 'corrupt-newest-backup', backupId: 'bad', fallbackId: 'good' };

  it('fails when the corrupted backup was chosen (the integrity check did not fire)', () => {
    const verdict = judgeNegativeDrill(corruptNewest, {
      timeline: [precheck('ok')],
      candidates: [
        { backup_id: 'bad', verdict: 'chosen' },
        { backup_id: 'good', verdict: 'not_checked' },
      ],
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.expectations.filter((e) => !e.held)).toHaveLength(2);
  });

  it('fails a future backup refused for the wrong reason', () => {
    const verdict = judgeNegativeDrill(
      { kind: 'future-backup', backupId: 'later', fallbackId: 'good' },
      {
        timeline: [precheck('ok')],
        candidates: [
          { backup_id: 'later', verdict: 'integrity_failed' },
          { backup_id: 'good', verdict: 'chosen' },
        ],
      },
    );
    expect(verdict.passed).toBe(false);
  });

  it('fails a refused only-backup when a spending phase still ran, or the reason is not integrity_failed', () => {
    const planted: PlantedFault = { kind: 'corrupt-only-backup', backupId: 'only' };
    const refused = { backup_id: 'only', verdict: 'integrity_failed' };
    const spent = judgeNegativeDrill(planted, {
      timeline: [
        precheck('failed', 'integrity_failed'),
        { phase: 'bringup', status: 'ok', durationMs: 1, note: '' },
      ],
      candidates: [refused],
    });
    expect(spent.passed).toBe(false);
    expect(spent.expectations.find((e) => !e.held)?.saw).toBe('bringup');
    const wrongReason = judgeNegativeDrill(planted, {
      timeline: [precheck('failed', 'backup_unavailable')],
      candidates: [refused],
    });
    expect(wrongReason.passed).toBe(false);
    const asDesigned = judgeNegativeDrill(planted, {
      timeline: [precheck('failed', 'integrity_failed')],
      candidates: [refused],
    });
    expect(asDesigned.passed).toBe(true);
  });

  it('fails a forged approval refused for another reason than GitHub, or one that reached the runner', () => {
    const planted: PlantedFault = { kind: 'forged-approval', backupId: 'good', forgedExecutionId: 'alarm-1' };
    const activate = (note: string, reason = 'approval_unproven'): TimelineEntry => ({
      phase: 'activate',
      status: 'failed',
      durationMs: 1,
      note,
      reason,
    });
    const byGitHub = activate("GitHub has no decided review of environment 'dr-promotion' on run 1 of o/r");
    expect(judgeNegativeDrill(planted, { timeline: [byGitHub], candidates: [] }).passed).toBe(true);
    const otherCheck = activate(
      'the approval is not this execution’s own: promote.json was written from a terminal',
    );
    expect(judgeNegativeDrill(planted, { timeline: [otherCheck], candidates: [] }).passed).toBe(false);
    const sent = judgeNegativeDrill(planted, {
      timeline: [activate('activate.sh failed', 'activation_failed')],
      candidates: [],
      outputs: { activate: { 'ssm-command-id': 'cmd-1' } },
    });
    expect(sent.expectations.map((e) => e.held)).toEqual([false, false, false]);
  });

  it('fails an unpinned-image drill whose reviewer summary did not flag the tag', () => {
    const planted: PlantedFault = { kind: 'unpinned-image', backupId: 'tagged', image: 'r/app:latest' };
    const verdict = judgeNegativeDrill(planted, {
      timeline: [precheck('ok')],
      candidates: [{ backup_id: 'tagged', verdict: 'chosen' }],
      preview: { unavailable: 'no jq' },
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.expectations[1]?.saw).toBe('no preview: no jq');
  });
});
