import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, type DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, describe, expect, it } from '@jest/globals';
import { clientConfig } from '../../src/aws/clients.js';
import { runCli } from '../../src/cli/main.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { ALARMS_DIR, type BundleFile, DRILL_REQUIRED_PHASES } from '../../src/evidence/bundle.js';
import { readBundleDir, refuseNonEmpty } from '../../src/evidence/bundle-files.js';
import { type CheckOptions, checkBundle, DEFAULT_CHECK_OPTIONS } from '../../src/evidence/check.js';
import { collectEvidence } from '../../src/evidence/collect.js';
import { sha256Hex } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import {
  collectGolden,
  editReceipt,
  fixturePath,
  makeGoldenRun,
  relinkChain,
  resealManifest,
} from '../helpers/golden-bundle.js';

useEmulator();

const rehearsal: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, acceptEmulator: true };
/** An alarm-started run: alarm.yml wrote the receipts of alarm-4242. */
const ALARM_RUN = {
  executionId: 'alarm-4242',
  source: { runId: '4242', workflow: 'octo/standby/.github/workflows/alarm.yml@refs/heads/main' },
};
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(join(dir, '..'), { recursive: true, force: true });
});

async function goldenFiles(
  options: Parameters<typeof makeGoldenRun>[0] = {},
  alarm?: string,
): Promise<{ dir: string; files: BundleFile[] }> {
  const dir = await collectGolden(await makeGoldenRun(options), alarm);
  dirs.push(dir);
  return { dir, files: await readBundleDir(dir) };
}

/**
 * The bundle of a run, made once per file for tests that only read it in memory (the golden run is
 * deterministic: its clock steps from a fixed start). Frozen, so a test that edited it in place would fail
 * loudly instead of leaking into the next test.
 */
const shared = new Map<string, Promise<readonly BundleFile[]>>();
async function sharedGoldenFiles(
  options: Parameters<typeof makeGoldenRun>[0] = {},
  alarm?: string,
): Promise<{ files: BundleFile[] }> {
  const key = JSON.stringify([options, alarm]);
  if (!shared.has(key))
    shared.set(
      key,
      goldenFiles(options, alarm).then(({ files }) => Object.freeze(files.map((f) => Object.freeze(f)))),
    );
  return { files: [...((await shared.get(key)) as readonly BundleFile[])] };
}

const codes = (files: BundleFile[], options = rehearsal) =>
  checkBundle(files, options).problems.map((p) => p.code);

/** The shape of the Sigstore bundle actions/attest writes, over the bundle's manifest and receipts. */
function fakeAttestation(files: BundleFile[]) {
  const subject = files
    .filter((f) => f.path === 'manifest.json' || f.path.startsWith('receipts/'))
    .map((f) => ({ name: f.path.split('/').pop(), digest: { sha256: sha256Hex(f.body) } }));
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      runDetails: {
        metadata: { invocationId: 'https://github.com/octo/standby/actions/runs/4242/attempts/1' },
      },
    },
  };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [],
    },
  };
}

function capture(): Terminal & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, color: false, out: (t) => lines.push(t), err: (t) => errors.push(t) };
}

describe("evidence bundles from the project's own receipts on the emulator", () => {
  it('collects every receipt, the alarm history and a sorted manifest, and the golden bundle verifies', async () => {
    const { dir, files } = await goldenFiles();
    expect(files.map((f) => f.path)).toEqual([
      'alarms/exported-describe-alarm-history.json',
      'collection.json',
      'manifest.json',
      'receipts/bringup.json',
      'receipts/check-health.json',
      'receipts/notify.json',
      'receipts/promote.json',
      'receipts/request-approval.json',
      'receipts/resolve-runner.json',
      'receipts/restore-precheck.json',
      'receipts/restore.json',
      'receipts/teardown.json',
      'receipts/validate.json',
    ]);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
      files.map((f) => f.path).filter((p) => p !== 'manifest.json'),
    );
    // The exported alarm history is kept byte for byte.
    expect(files[0]?.body.equals(await readFile(fixturePath('describe-alarm-history.json')))).toBe(true);
    // notify and request-approval ran through runPhase, like the actions: their receipts carry real inputs/outputs.
    const receipt = (name: string) =>
      JSON.parse(files.find((f) => f.path === `receipts/${name}`)?.body.toString() ?? '{}');
    expect(receipt('notify.json').inputs.event).toBe('validated');
    expect(receipt('request-approval.json').outputs).toHaveProperty('summary-json');
    const report = checkBundle(files, rehearsal);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.phases.every((p) => p.outcome === 'passed')).toBe(true);
    expect(report.alarm.transition?.alarmName).toBe('standby-pipeline-stale');
  });

  it('refuses the same bundle as evidence of a real run unless emulator bundles are accepted', async () => {
    const { files } = await sharedGoldenFiles();
    const report = checkBundle(files, DEFAULT_CHECK_OPTIONS);
    expect(report.problems.map((p) => p.code)).toEqual(['emulator-bundle']);
    expect(report.problems[0]?.message).toMatch(/rerun with --accept-emulator/);
  });

  it('keeps every attempt so the chain verifies, and judges the newest attempt', async () => {
    const { files } = await sharedGoldenFiles({ retryCheckHealth: true });
    expect(files.map((f) => f.path)).toContain('receipts/check-health.attempt-2.json');
    const collection = JSON.parse(files.find((f) => f.path === 'collection.json')?.body.toString() ?? '{}');
    expect(collection.selected_attempts['check-health']).toBe('receipts/check-health.attempt-2.json');
    const report = checkBundle(files, rehearsal);
    expect(report.problems).toEqual([]);
    expect(report.phases.find((p) => p.phase === 'check-health')).toMatchObject({
      outcome: 'passed',
      attempt: 2,
    });
  });

  it('reads alarm history through DescribeAlarmHistory (all pages) into the same shape the check parses', async () => {
    const run = await makeGoldenRun();
    const exported = JSON.parse(await readFile(fixturePath('describe-alarm-history.json'), 'utf8'))
      .AlarmHistoryItems as Array<Record<string, string>>;
    const asSdk = exported.map((item) => ({
      ...item,
      Timestamp: new Date(Date.parse(item.Timestamp as string)),
    }));
    const tokens: Array<string | undefined> = [];
    const cloudwatch = {
      async send(command: DescribeAlarmHistoryCommand) {
        tokens.push(command.input.NextToken);
        const page = Number(command.input.NextToken ?? '0');
        const next = page + 2 < asSdk.length ? String(page + 2) : undefined;
        return { $metadata: {}, AlarmHistoryItems: asSdk.slice(page, page + 2) as never, NextToken: next };
      },
    };
    const outDir = join(await mkdtemp(join(tmpdir(), 'standby-evidence-')), 'api');
    dirs.push(outDir);
    const result = await collectEvidence({
      receipts: run.store,
      outDir,
      alarmNames: ['standby-pipeline-stale'],
      cloudwatch,
    });
    expect(tokens).toEqual([undefined, '2', '4']);
    expect(result.alarmFiles).toEqual(['alarms/api-1-standby-pipeline-stale.json']);
    const report = checkBundle(await readBundleDir(outDir), rehearsal);
    expect(report.problems).toEqual([]);
    expect(report.alarm.transition?.alarmAt).toBe('2026-11-21T21:04:11.903Z');
  });

  it('says the emulator has no DescribeAlarmHistory (moto records SetAlarmState but does not serve it)', async () => {
    const run = await makeGoldenRun({ phases: ['check-health'] });
    const outDir = join(await mkdtemp(join(tmpdir(), 'standby-evidence-')), 'moto');
    dirs.push(outDir);
    const cloudwatch = new CloudWatchClient({ ...clientConfig(), maxAttempts: 1 });
    await expect(
      collectEvidence({
        receipts: run.store,
        outDir,
        alarmNames: ['standby-pipeline-stale'],
        cloudwatch,
        cloudwatchOverridden: true,
      }),
    ).rejects.toThrow(
      /DescribeAlarmHistory for standby-pipeline-stale failed .*the local emulator \(moto\) does not implement DescribeAlarmHistory; pass --alarm-history-file instead/,
    );
    expect(await refuseNonEmpty(outDir)).toBeUndefined(); // nothing half-written
  });

  it('refuses a non-empty output directory rather than mix runs', async () => {
    const run = await makeGoldenRun({ phases: ['check-health'] });
    const dir = await collectGolden(run);
    dirs.push(dir);
    await expect(collectEvidence({ receipts: run.store, outDir: dir })).rejects.toThrow(
      /is not empty .* choose a new directory/,
    );
    // Deterministic: collecting the same receipts again gives the same manifest, byte for byte.
    const again = join(dir, '..', 'again');
    await collectEvidence({
      receipts: run.store,
      outDir: again,
      alarmHistoryFiles: [fixturePath('describe-alarm-history.json')],
    });
    expect(await readFile(join(again, 'manifest.json'), 'utf8')).toBe(
      await readFile(join(dir, 'manifest.json'), 'utf8'),
    );
  });
});

describe('each tampering fails with its own message', () => {
  it('missing receipt', async () => {
    const { files } = await sharedGoldenFiles();
    const report = checkBundle(
      files.filter((f) => f.path !== 'receipts/restore.json'),
      rehearsal,
    );
    expect(report.verified).toBe(false);
    expect(report.problems.find((p) => p.code === 'receipt-missing')?.message).toBe(
      'no restore receipt: the run did not reach restore, or its receipt was not collected',
    );
    expect(report.problems.map((p) => p.code)).toContain('manifest-file-missing');
    expect(report.phases.find((p) => p.phase === 'restore')?.outcome).toBe('missing');
  });

  it('edited byte', async () => {
    const { files } = await sharedGoldenFiles();
    const edited = files.map((f) => {
      if (f.path !== 'receipts/validate.json') return f;
      const body = Buffer.from(f.body);
      body[body.indexOf('"ok"') + 1] = 'O'.charCodeAt(0); // "ok" → "Ok"
      return { path: f.path, body };
    });
    const report = checkBundle(edited, rehearsal);
    expect(report.problems.find((p) => p.code === 'manifest-mismatch')?.message).toMatch(
      /^receipts\/validate\.json changed since collection/,
    );
  });

  it('a receipt of another target (even with the chain and manifest rebuilt): one execution is one target', async () => {
    const { files } = await sharedGoldenFiles();
    expect(
      JSON.parse(files.find((f) => f.path === 'receipts/notify.json')?.body.toString() ?? '{}').target,
    ).toEqual({
      name: 'default',
      kind: 'k3s',
    });
    const forged = resealManifest(
      relinkChain(
        editReceipt(files, 'notify.json', (r) => {
          r.target = { name: 'billing', kind: 'eks' };
        }),
      ),
      'drill-golden',
    );
    const report = checkBundle(forged, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['target-mismatch']);
    expect(report.problems[0]?.message).toMatch(
      /^receipts\/notify\.json is for target billing \(eks\), not default \(k3s\) like receipts\//,
    );
  });

  it('swapped execution id (even with the chain and manifest rebuilt)', async () => {
    const { files } = await sharedGoldenFiles();
    const forged = resealManifest(
      relinkChain(
        editReceipt(files, 'notify.json', (r) => {
          r.execution_id = 'drill-other';
        }),
      ),
      'drill-golden',
    );
    const report = checkBundle(forged, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['execution-id-mismatch']);
    expect(report.problems[0]?.message).toBe(
      'receipts/notify.json belongs to execution drill-other, not drill-golden',
    );
  });

  it('broken chain', async () => {
    const { files } = await sharedGoldenFiles();
    const forged = resealManifest(
      editReceipt(files, 'promote.json', (r) => {
        if (r.previous) r.previous.sha256 = '0'.repeat(64);
      }),
      'drill-golden',
    );
    const report = checkBundle(forged, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['chain-broken', 'chain-broken']);
    expect(report.problems[0]?.message).toMatch(
      /^receipts\/promote\.json links to request-approval\.json sha256 0{64}, but the receipt before it is request-approval\.json sha256 [0-9a-f]{64}$/,
    );
    // The second one is teardown, which still links to the original promote receipt.
    expect(report.problems[1]?.path).toBe('receipts/teardown.json');
  });

  it('reordered timestamps', async () => {
    const { files } = await sharedGoldenFiles();
    const forged = resealManifest(
      relinkChain(
        editReceipt(files, 'restore.json', (r) => {
          r.started_at = '2026-11-21T21:00:00.000Z';
          r.ended_at = '2026-11-21T21:00:01.000Z';
        }),
      ),
      'drill-golden',
    );
    const report = checkBundle(forged, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['timestamps-out-of-order']);
    expect(report.problems[0]?.message).toMatch(
      /^receipts\/restore\.json \(sequence 5\) ended at 2026-11-21T21:00:01\.000Z, before receipts\/resolve-runner\.json \(sequence 4\) started at/,
    );
  });

  it('alarm history without the transition, in an alarm-started run', async () => {
    const { files } = await sharedGoldenFiles(ALARM_RUN, 'describe-alarm-history-no-return.json');
    const report = checkBundle(files, rehearsal);
    expect(report.run).toMatchObject({ kind: 'alarm', alarmRequired: true });
    expect(report.problems.map((p) => p.code)).toEqual(['alarm-no-transition']);
    expect(report.problems[0]?.message).toMatch(
      /no alarm went OK→ALARM→OK inside the run's window 2026-11-21T20:05:01\.000Z – /,
    );
  });

  it('a manual drill is not required to show the transition, and is labelled as a drill', async () => {
    const { files } = await sharedGoldenFiles({}, 'describe-alarm-history-no-return.json');
    const report = checkBundle(files, rehearsal);
    expect(report.problems).toEqual([]);
    expect(report.run).toMatchObject({ kind: 'drill', alarmRequired: false });
    expect(report.run.label).toMatch(/^manual drill/);
    expect(report.notes.map((n) => n.code)).toEqual(['alarm-not-required']);
    // ... unless the auditor requires it.
    expect(codes(files, { ...rehearsal, requireAlarm: true })).toEqual(['alarm-no-transition']);
  });

  it('only missing-data alarms: a problem for any kind of run, naming each alarm and its transition times', async () => {
    for (const options of [{}, ALARM_RUN]) {
      const { files } = await sharedGoldenFiles(options, 'describe-alarm-history-missing-data.json');
      const report = checkBundle(files, rehearsal);
      expect(report.problems.map((p) => p.code)).toEqual(['alarm-missing-data-only']);
      expect(report.problems[0]?.message).toBe(
        'standby-pipeline-stale went to ALARM in 2026-11-21T20:05:01.000Z – 2026-11-21T22:05:24.000Z only because missing data was treated as breaching (OK→ALARM at 2026-11-21T16:04:11.903114-05:00 (missing data treated as breaching), ALARM→OK at 2026-11-21T22:40:07.512034+01:00): that proves nothing about the metric; drive the alarm with real datapoints (or set-alarm-state) during the run',
      );
      expect(report.notes.map((n) => n.code)).toEqual(['alarm-missing-data']);
    }
  });

  it('an execution named like a drill but written by alarm.yml is judged as an alarm run', async () => {
    const { files } = await sharedGoldenFiles(
      { source: { runId: '4242', workflow: ALARM_RUN.source.workflow } },
      'describe-alarm-history-no-return.json',
    );
    expect(codes(files)).toEqual(['run-kind-mismatch', 'alarm-no-transition']);
  });

  it('a status that is not ok, and a file added after collection', async () => {
    const { files } = await sharedGoldenFiles({ status: { validate: 'failed' } });
    const extra = [
      ...files,
      { path: `${ALARMS_DIR}/later.json`, body: Buffer.from('{"AlarmHistoryItems":[]}') },
    ];
    const report = checkBundle(extra, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['manifest-unlisted-file', 'status-not-ok']);
    expect(report.problems[1]?.message).toBe(
      'validate (attempt 1) has status failed: validate not run locally',
    );
  });

  it('lists every problem at once, not just the first', async () => {
    const { files } = await sharedGoldenFiles(ALARM_RUN, 'describe-alarm-history-no-return.json');
    const tampered = editReceipt(
      files.filter((f) => f.path !== 'receipts/bringup.json'),
      'notify.json',
      (r) => {
        r.execution_id = 'x';
      },
    );
    expect(new Set(codes(tampered))).toEqual(
      new Set([
        'manifest-file-missing',
        'manifest-mismatch',
        'execution-id-mismatch',
        'chain-sequence',
        'chain-broken',
        'receipt-missing',
        'alarm-no-transition',
      ]),
    );
  });
});

describe('other ways a bundle fails', () => {
  it('a recorded failure fails the run even when every phase is ok', async () => {
    const { files } = await sharedGoldenFiles({ phases: [...DRILL_REQUIRED_PHASES, 'failure'] });
    const report = checkBundle(files, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['run-failed']);
    expect(report.phases.map((p) => p.phase)).not.toContain('failure');
  });

  it('a receipt under another name, a file that is not a receipt, and no manifest', async () => {
    const { files } = await sharedGoldenFiles();
    const renamed = files
      .filter((f) => f.path !== 'manifest.json')
      .map((f) =>
        f.path === 'receipts/notify.json' ? { ...f, path: 'receipts/promote.attempt-2.json' } : f,
      );
    renamed.push({
      path: 'receipts/restore.attempt-2.json',
      body: Buffer.from('{"schema":"standby.receipt/v0"}'),
    });
    const report = checkBundle(renamed, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(
      expect.arrayContaining(['manifest-missing', 'receipt-invalid', 'receipt-name-mismatch']),
    );
    expect(report.problems.find((p) => p.code === 'receipt-name-mismatch')?.message).toBe(
      'receipts/promote.attempt-2.json holds notify attempt 1, which is not what its name says',
    );
  });
});

describe('skipped phases and emulator bundles', () => {
  it('a skipped phase fails a real check and is reported as not run (never passed) in an accepted rehearsal', async () => {
    const { files } = await sharedGoldenFiles({ status: { bringup: 'skipped' } });
    expect(codes(files, DEFAULT_CHECK_OPTIONS)).toEqual(['emulator-bundle', 'status-not-ok']);
    const report = checkBundle(files, rehearsal);
    expect(report.verified).toBe(true);
    expect(report.phases.find((p) => p.phase === 'bringup')?.outcome).toBe('not-run');
    expect(report.notes.map((n) => n.code)).toEqual(['phase-not-run']);
  });

  it('an accepted rehearsal without alarm history says the alarm check did not run', async () => {
    const run = await makeGoldenRun({ phases: ['check-health'] });
    const dir = join(await collectGolden(run), '..', 'no-alarms');
    dirs.push(dir);
    await collectEvidence({ receipts: run.store, outDir: dir });
    const files = await readBundleDir(dir);
    const report = checkBundle(files, { ...rehearsal, require: ['check-health'] });
    expect(report.problems).toEqual([]);
    expect(report.notes.map((n) => n.code)).toEqual(['alarm-not-run']);
    // Outside a rehearsal a drill needs no alarm history either; it is noted.
    const strict = checkBundle(files, { ...DEFAULT_CHECK_OPTIONS, require: ['check-health'] });
    expect(strict.problems.map((p) => p.code)).toEqual(['emulator-bundle']);
    expect(strict.notes.map((n) => n.code)).toEqual(['alarm-history-not-required']);
  });
});

describe('standby evidence (CLI)', () => {
  it('collect then check: exit 0 when verified, 3 with problems, JSON on request', async () => {
    const run = await makeGoldenRun();
    const base = join(await collectGolden(run), '..');
    dirs.push(join(base, 'x'));
    const out = join(base, 'cli-bundle');
    const term = capture();
    const collected = await runCli(
      [
        'evidence',
        'collect',
        '--execution-id',
        run.executionId,
        '--receipt-bucket',
        run.store.location.bucket,
        '--alarm-history-file',
        fixturePath('describe-alarm-history.json'),
        '--out',
        out,
        '--json',
      ],
      term,
    );
    expect(term.errors).toEqual([]);
    expect(collected).toBe(0);
    expect(JSON.parse(term.lines.join('\n'))).toMatchObject({
      receipts: 10,
      alarmFiles: ['alarms/exported-describe-alarm-history.json'],
    });

    const ok = capture();
    expect(await runCli(['evidence', 'check', out, '--accept-emulator', '--json'], ok)).toBe(0);
    expect(JSON.parse(ok.lines.join('\n'))).toMatchObject({ verified: true, executionId: 'drill-golden' });

    const refused = capture();
    expect(await runCli(['evidence', 'check', out], refused)).toBe(3);
    expect(refused.lines.join('\n')).toMatch(/NOT VERIFIED: .* 1 problem\(s\)[\s\S]*\[emulator-bundle\]/);

    await writeFile(join(out, 'receipts', 'teardown.json'), '{}');
    const tampered = capture();
    expect(await runCli(['evidence', 'check', out, '--accept-emulator'], tampered)).toBe(3);
    expect(tampered.lines.join('\n')).toMatch(
      /\[manifest-mismatch\] receipts\/teardown\.json changed since collection/,
    );
  });

  it('usage errors exit 2 and say what to do', async () => {
    const base = await collectGolden(await makeGoldenRun({ phases: ['check-health'] }));
    dirs.push(base);
    const cases: Array<[string[], RegExp]> = [
      [
        ['evidence', 'check', '/nonexistent/bundle'],
        /is not a directory: pass the directory `standby evidence collect --out` made/,
      ],
      [
        ['evidence', 'check', base, '--require', 'check-health,deploy'],
        /--require: unknown phase\(s\) deploy; phases are check-health/,
      ],
      [['evidence', 'check', base, '--expect-head', 'abc'], /--expect-head: 'abc' is not a sha256/],
      [['evidence', 'check', base, '--expect-count', '3'], /--expect-count needs --expect-head/],
      [['evidence', 'check', base, '--attestation', '/nonexistent.json'], /cannot read --attestation/],
      [
        ['evidence', 'check', base, '--attestation', join(base, 'manifest.json')],
        /--attestation: .* holds no in-toto statement/,
      ],
      [['evidence', 'check', base, '--run-id', 'abc'], /--run-id: 'abc' is not a GitHub Actions run id/],
      [
        ['evidence', 'collect', '--execution-id', 'a b', '--receipt-bucket', 'r', '--out', base],
        /--execution-id: 'a b' may use only/,
      ],
      [
        [
          'evidence',
          'collect',
          '--execution-id',
          'drill-golden',
          '--receipt-bucket',
          'standby-demo-receipts',
          '--out',
          base,
        ],
        /is not empty/,
      ],
      [
        ['evidence', 'collect', '--receipt-bucket', 'standby-demo-receipts', '--out', base],
        /required option '--execution-id <id>' not specified/,
      ],
    ];
    for (const [argv, message] of cases) {
      const term = capture();
      expect(await runCli(argv, term)).toBe(2);
      expect(term.errors.join('\n')).toMatch(message);
    }
  });

  it('collect with no receipts for the execution exits 1 and names the place it looked', async () => {
    await makeGoldenRun({ phases: ['check-health'] });
    const term = capture();
    const out = join(await mkdtemp(join(tmpdir(), 'standby-evidence-')), 'empty-run');
    dirs.push(out);
    const code = await runCli(
      [
        'evidence',
        'collect',
        '--execution-id',
        'nothing-here',
        '--receipt-bucket',
        'standby-demo-receipts',
        '--out',
        out,
      ],
      term,
    );
    expect(code).toBe(1);
    expect(term.errors.join('\n')).toMatch(
      /no receipts under s3:\/\/standby-demo-receipts\/standby\/receipts\/nothing-here\/: check --execution-id and --receipt-prefix/,
    );
  });

  it('head publishes the chain head; check --expect-head and --attestation hold the bucket to it', async () => {
    const run = await makeGoldenRun();
    const dir = await collectGolden(run);
    dirs.push(dir);
    const head = capture();
    expect(await runCli(['evidence', 'head', dir, '--json'], head)).toBe(0);
    const published = JSON.parse(head.lines.join('\n'));
    expect(published).toMatchObject({
      executionId: 'drill-golden',
      count: 10,
      head: { name: 'teardown.json' },
    });
    const markdown = capture();
    await runCli(['evidence', 'head', dir], markdown);
    expect(markdown.lines.join('\n')).toContain(`| Head sha256 | \`${published.head.sha256}\` |`);

    const anchored = capture();
    const args = ['--expect-head', published.head.sha256, '--expect-count', '10', '--accept-emulator'];
    expect(await runCli(['evidence', 'check', dir, ...args], anchored)).toBe(0);
    expect(anchored.lines.join('\n')).toMatch(/Anchor \(expect-head\): the chain reaches sha256/);

    const attestation = join(dir, '..', 'attestation.json');
    await writeFile(attestation, JSON.stringify(fakeAttestation(await readBundleDir(dir))));
    const attested = capture();
    expect(
      await runCli(
        ['evidence', 'check', dir, '--attestation', attestation, '--accept-emulator', '--json'],
        attested,
      ),
    ).toBe(0);
    expect(JSON.parse(attested.lines.join('\n')).anchor).toMatchObject({
      from: 'attestation',
      count: 10,
      anchored: true,
    });

    // Remove the head from the bundle (as from the bucket): both anchors notice, exit 3.
    await rm(join(dir, 'receipts', 'teardown.json'));
    const truncated = capture();
    expect(await runCli(['evidence', 'check', dir, ...args, '--require', 'check-health'], truncated)).toBe(3);
    expect(truncated.lines.join('\n')).toMatch(
      /\[anchor-head-missing\] the anchored head sha256 [0-9a-f]{64} \(10 receipts\) is not in the bundle/,
    );
    const attestedTruncated = capture();
    expect(
      await runCli(
        ['evidence', 'check', dir, '--attestation', attestation, '--accept-emulator'],
        attestedTruncated,
      ),
    ).toBe(3);
    expect(attestedTruncated.lines.join('\n')).toMatch(
      /\[anchor-receipt-missing\] teardown\.json was attested/,
    );
  });

  it('--help shows an example', async () => {
    for (const sub of ['collect', 'check', 'head']) {
      const term = capture();
      expect(await runCli(['evidence', sub, '--help'], term)).toBe(0);
      expect(term.lines.join('\n')).toMatch(/Examples:\n {2}\$ standby evidence/);
    }
  });
});
