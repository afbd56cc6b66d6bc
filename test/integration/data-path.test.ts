import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { useEmulator } from '../helpers/emulator.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';
import { DIGEST_IMAGE, runBackup, runPrecheck, sourceTree } from '../helpers/standby-backup.js';

useEmulator();

/** Copies every object of one backup from the emulator into the runner sandbox's stub S3 (what `aws s3 cp` reads). */
async function fetchToRunner(sandbox: RunnerSandbox, prefix: string) {
  const s3 = new AwsClients().s3;
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: 'backups', Prefix: prefix }));
  for (const object of listing.Contents ?? []) {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'backups', Key: object.Key }));
    sandbox.write(`s3/backups/${object.Key}`, Buffer.from((await got.Body?.transformToByteArray()) ?? []));
  }
}

describe('the data path: standby backup → restore-precheck → restore.sh → validate.sh', () => {
  it('restores a real standby backup onto the claimed volume and proves a job from the CronJob reads that state', async () => {
    await ensureBucket(new AwsClients().s3, 'backups');
    const { stateDir, manifestsDir } = sourceTree({ 'db/jobs.sqlite': 'the primary state' });
    const made = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-chain',
    });
    expect(made.failure).toBeUndefined();

    const checked = await runPrecheck({}, new Date('2026-11-22T03:00:00Z'));
    expect(checked.failure).toBeUndefined();
    const backupUri = String(checked.outputs['backup-uri']);
    const marker = String(checked.outputs['state-marker']);
    expect(backupUri).toBe('s3://backups/batch/backups/bk-chain');
    expect(marker).toMatch(/^[0-9a-f]{64}$/);

    const runner = new RunnerSandbox();
    await fetchToRunner(runner, 'batch/backups/bk-chain/');
    const volume = runner.path('var-lib-standby', 'volumes', 'jobintel', 'jobintel-state');
    const restored = runner.run('restore.sh', {
      STANDBY_BACKUP_URI: backupUri,
      STANDBY_RESTORE_PATH: volume,
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_STATE_CLAIM: 'jobintel-state',
      STANDBY_WAIT_SECONDS: '1',
    });
    expect(restored.stderr).not.toMatch(/command failed/);
    expect(restored.report).toMatchObject({
      ok: true,
      files_restored: 3, // two state files and the marker
      state: { claim: 'jobintel-state', bound: true, marker, marker_verified: true },
      cronjobs_suspended: ['jobintel-daily', 'jobintel-hourly'],
      cronjobs_active: [],
    });
    expect(readFileSync(path.join(volume, 'db', 'jobs.sqlite'), 'utf8')).toBe('the primary state');

    runner.write('job-status.json', {
      metadata: { uid: '0a0b0c0d-0000-4000-8000-000000000042' },
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    });
    runner.write('job-logs.txt', 'jobintel: resumed from cursor 42\n');
    const validated = runner.run('validate.sh', {
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly',
      STANDBY_READY_TIMEOUT_SECONDS: '0',
      STANDBY_POLL_SECONDS: '0',
      STANDBY_RUN_JOB: 'true',
      STANDBY_JOB_CRONJOB: 'jobintel-daily',
      STANDBY_IMAGE_REF: DIGEST_IMAGE,
      STANDBY_JOB_TIMEOUT_SECONDS: '5',
      STANDBY_STATE_CLAIM: 'jobintel-state',
      STANDBY_STATE_MARKER: marker,
    });
    expect(validated.report?.failures).toEqual([]);
    expect(validated.report).toMatchObject({
      result: 'passed',
      state: { claim: 'jobintel-state', bound: true, volume: 'standby-state-jobintel-jobintel-state' },
      job: { status: 'succeeded', state_marker: { expected: marker, read: marker, verified: true } },
    });
  });
});
