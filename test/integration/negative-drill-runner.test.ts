import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { FAULT_DESCRIPTIONS, judgeNegativeDrill, type PlantedFault } from '../../src/local/negative-drill.js';
import type { RehearsalStep } from '../../src/local/rehearsal-plan.js';
import { runSteps, type TimelineEntry } from '../../src/local/run-steps.js';
import { useEmulator } from '../helpers/emulator.js';
import { type FakeRunner, fakeRunner } from '../helpers/fake-runner.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';
import { PREFIX, runBackup, sourceTree } from '../helpers/standby-backup.js';

/**
 * The stale-state-marker negative drill (issue 23.7). The local rehearsal has no runner, so this fault is
 * shown where restore.sh and validate.sh really run: the runner sandbox behind the SSM proxy
 * (test/helpers/fake-runner.ts), with backups made by `standby backup` and checked by restore-precheck on
 * the emulator. The pipeline's own phases run through the rehearsal's runSteps; the verdict is the same
 * pure judge `standby drill --local --fault` uses.
 */
const emulator = useEmulator();
let runner: FakeRunner | undefined;
afterEach(async () => {
  await runner?.close();
  runner = undefined;
  delete process.env.AWS_ENDPOINT_URL_SSM;
});

const INSTANCE = 'i-0123456789abcdef0';
const IMAGE = `ghcr.io/example/jobintel@sha256:${'c'.repeat(64)}`;
const fast = { poll: { intervalMs: 50, commandFirstDelayMs: 50, commandMaxDelayMs: 200 }, env: {} };
const BASE = new Date('2026-11-22T00:00:00Z');

const folder = (id: string) => `batch/backups/${id}`;

async function getBytes(key: string): Promise<Buffer> {
  const got = await new AwsClients().s3.send(new GetObjectCommand({ Bucket: 'backups', Key: key }));
  return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
}

async function markerOf(id: string): Promise<string> {
  return JSON.parse((await getBytes(`${folder(id)}/metadata.json`)).toString('utf8')).state.marker;
}

/** Two backups made by `standby backup`, an hour apart; their state markers. */
async function twoBackups() {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, 'backups');
  await ensureBucket(aws.s3, 'receipts');
  for (const [id, hours] of [
    ['bk-older', 0],
    ['bk-newest', 1],
  ] as const) {
    const tree = sourceTree({ 'db/jobs.sqlite': `state of ${id}` });
    const made = await runBackup(
      { 'state-dir': tree.stateDir, 'manifests-dir': tree.manifestsDir, 'backup-id': id },
      new Date(BASE.getTime() + hours * 3_600_000),
    );
    expect(made.failure).toBeUndefined();
  }
  return { older: await markerOf('bk-older'), newest: await markerOf('bk-newest') };
}

/**
 * Plants an older backup's marker inside the newest archive, the way a producer bug or someone with bucket
 * access would, consistently: the archive re-packed with the old marker file, metadata.json re-pinned to
 * the new archive's size and sha256 (so integrity holds and restore-precheck takes it), its `state.marker`
 * left as the backup recorded it.
 */
async function plantOldMarkerInNewestArchive(markers: { older: string; newest: string }) {
  const work = mkdtempSync(path.join(tmpdir(), 'standby-stale-marker-'));
  const key = `${folder('bk-newest')}/state.tar.zst`;
  writeFileSync(path.join(work, 'state.tar.zst'), await getBytes(key));
  const zstd = (args: string[]) => {
    const ran = spawnSync('zstd', ['-q', '-f', ...args], { cwd: work, encoding: 'utf8' });
    if (ran.status !== 0) throw new Error(`zstd ${args.join(' ')}: ${ran.stderr}`);
  };
  zstd(['-d', 'state.tar.zst', '-o', 'state.tar']);
  const tar = readFileSync(path.join(work, 'state.tar'));
  const at = tar.indexOf(`${markers.newest}\n`);
  expect(at).toBeGreaterThan(0);
  // Same length: the tar header (size, checksum of the header only) stays valid.
  tar.write(`${markers.older}\n`, at);
  writeFileSync(path.join(work, 'state.tar'), tar);
  zstd(['state.tar', '-o', 'stale.tar.zst']);
  const body = readFileSync(path.join(work, 'stale.tar.zst'));
  const s3 = new AwsClients().s3;
  await s3.send(new PutObjectCommand({ Bucket: 'backups', Key: key, Body: body }));
  const metadata = JSON.parse((await getBytes(`${folder('bk-newest')}/metadata.json`)).toString('utf8'));
  metadata.artifacts['state.tar.zst'] = {
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: 'backups',
      Key: `${folder('bk-newest')}/metadata.json`,
      Body: JSON.stringify(metadata),
    }),
  );
}

/** The backups, as the runner's stub S3 holds them (what `aws s3 cp` on the runner would read). */
async function copyToRunner(sandbox: RunnerSandbox) {
  const s3 = new AwsClients().s3;
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: 'backups', Prefix: 'batch/backups/' }));
  for (const object of listing.Contents ?? [])
    sandbox.write(`s3/backups/${object.Key}`, await getBytes(object.Key ?? ''));
}

/** The drill's phases from restore-precheck to validate, as the pipeline runs them (runSteps stops at a failure). */
function steps(stateMarker: string): { before: RehearsalStep[]; validate: RehearsalStep[] } {
  const runnerInputs = { 'instance-id': INSTANCE, namespace: 'jobintel' };
  return {
    before: [
      { phase: 'restore-precheck', inputs: { 'backup-uri': PREFIX } },
      {
        phase: 'restore',
        inputs: {
          ...runnerInputs,
          'backup-uri': PREFIX,
          'state-claim': 'jobintel-state',
          'wait-seconds': '1',
          'timeout-seconds': '60',
        },
      },
    ],
    validate: [
      {
        phase: 'validate',
        inputs: {
          ...runnerInputs,
          cronjobs: 'jobintel-daily,jobintel-hourly',
          'ready-timeout-seconds': '0',
          'run-job': 'true',
          'job-cronjob': 'jobintel-daily',
          'image-ref': IMAGE,
          'job-timeout-seconds': '10',
          'state-claim': 'jobintel-state',
          'state-marker': stateMarker,
        },
      },
    ],
  };
}

async function drive(list: RehearsalStep[], executionId: string) {
  const common = { 'execution-id': executionId, 'receipt-bucket': 'receipts' };
  const now = () => new Date(BASE.getTime() + 2 * 3_600_000);
  return runSteps(list, common, new AwsClients(), () => undefined, { ...fast, now });
}

const planted: PlantedFault = { kind: 'stale-state-marker', backupId: 'bk-newest' };
const statusOf = (timeline: TimelineEntry[]) => Object.fromEntries(timeline.map((t) => [t.phase, t.status]));

describe('stale-state-marker negative drill on the runner sandbox (restore.sh and validate.sh for real)', () => {
  it("an older backup's marker inside the newest archive: precheck takes it (integrity holds), restore.sh refuses it, validate never runs", async () => {
    const markers = await twoBackups();
    await plantOldMarkerInNewestArchive(markers);
    const sandbox = new RunnerSandbox();
    await copyToRunner(sandbox);
    runner = await fakeRunner(emulator.endpoint, sandbox);
    const { timeline, outputs } = await drive(steps(markers.newest).before, 'drill-9101');

    expect(outputs['restore-precheck']?.['backup-id']).toBe('bk-newest');
    expect(statusOf(timeline)).toEqual({ 'restore-precheck': 'ok', restore: 'failed' });
    const verdict = judgeNegativeDrill(planted, { timeline, candidates: [] });
    expect(verdict.description).toBe(FAULT_DESCRIPTIONS['stale-state-marker']);
    expect(verdict.expectations).toEqual([
      {
        what: 'restore (restore_failed) or validate (validation_failed) refuses the state marker',
        held: true,
        saw: `restore: failed (restore_failed): extract-state: state marker '${markers.older}' differs from metadata.json's ${markers.newest}`,
      },
      { what: 'nothing is approved or activated after the refusal', held: true, saw: 'none succeeded' },
    ]);
    expect(verdict.passed).toBe(true);
  });

  it("a claim still holding an older backup's state: restore succeeds, validate's Job reads the stale marker and validate refuses", async () => {
    const markers = await twoBackups();
    const sandbox = new RunnerSandbox();
    await copyToRunner(sandbox);
    runner = await fakeRunner(emulator.endpoint, sandbox);
    const { before, validate } = steps(markers.newest);
    const restored = await drive(before, 'drill-9102');
    expect(statusOf(restored.timeline)).toEqual({ 'restore-precheck': 'ok', restore: 'ok' });
    expect(restored.outputs.restore?.['state-marker']).toBe(markers.newest);

    // The fault: the volume the claim is bound to holds the older backup's state (a stale volume left
    // from an earlier restore), so the workload would run on it.
    const volume = sandbox.path('var-lib-standby', 'volumes', 'jobintel', 'jobintel-state');
    writeFileSync(path.join(volume, '.standby-state-marker'), `${markers.older}\n`);
    sandbox.write('job-status.json', {
      metadata: { uid: '6a7b8c9d-0000-4000-8000-000000000002' },
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    });
    sandbox.write('job-logs.txt', 'jobintel: done\n');
    const validated = await drive(validate, 'drill-9102');
    const timeline = [...restored.timeline, ...validated.timeline];

    expect(statusOf(timeline)).toEqual({ 'restore-precheck': 'ok', restore: 'ok', validate: 'failed' });
    const verdict = judgeNegativeDrill(planted, { timeline, candidates: [] });
    expect(verdict.expectations[0]).toEqual({
      what: 'restore (restore_failed) or validate (validation_failed) refuses the state marker',
      held: true,
      saw: `validate: failed (validation_failed): the Job read state marker '${markers.older}' from claim jobintel-state, not the restored ${markers.newest}; the validation Job did not read the restored state marker`,
    });
    expect(verdict.passed).toBe(true);
  });
});

describe('the stale-state-marker judge fails a drill whose marker check did not fire', () => {
  const entry = (
    phase: string,
    status: TimelineEntry['status'],
    reason?: string,
    note = '',
  ): TimelineEntry => ({
    phase,
    status,
    durationMs: 1,
    note,
    ...(reason ? { reason } : {}),
  });

  it('fails when restore and validate passed, when a failure is not about the marker, and when approval followed', () => {
    const passedThrough = judgeNegativeDrill(planted, {
      timeline: [entry('restore', 'ok'), entry('validate', 'ok'), entry('request-approval', 'ok')],
      candidates: [],
    });
    expect(passedThrough.passed).toBe(false);
    expect(passedThrough.expectations.map((e) => e.held)).toEqual([false, false]);
    const otherFailure = judgeNegativeDrill(planted, {
      timeline: [
        entry('restore', 'failed', 'restore_failed', 'verify: state.tar.zst is 15 bytes, expected 99'),
      ],
      candidates: [],
    });
    expect(otherFailure.passed).toBe(false);
    const asDesigned = judgeNegativeDrill(planted, {
      timeline: [entry('validate', 'failed', 'validation_failed', 'the Job read state marker ...')],
      candidates: [],
    });
    expect(asDesigned.passed).toBe(true);
  });
});
