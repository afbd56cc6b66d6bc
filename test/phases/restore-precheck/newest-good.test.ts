import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import type { Candidate } from '../../../src/backup/selection.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { useEmulator } from '../../helpers/emulator.js';
import { s3Storm, throughFaultProxy } from '../../helpers/fault-proxy.js';
import { runBackup, runPrecheck, sourceTree } from '../../helpers/standby-backup.js';

const emulator = useEmulator();

const s3 = () => new AwsClients().s3;
const hours = (n: number) => new Date(Date.parse('2026-11-22T00:00:00Z') + n * 3_600_000);

/** Three backups made by `standby backup`, 12 h apart: bk-1 (oldest) … bk-3 (newest). */
async function threeBackups() {
  await ensureBucket(s3(), 'backups');
  for (const [i, at] of [hours(0), hours(12), hours(24)].entries()) {
    const { stateDir, manifestsDir } = sourceTree({ 'cursor.json': `{"offset": ${i}}` });
    const made = await runBackup(
      { 'state-dir': stateDir, 'manifests-dir': manifestsDir, 'backup-id': `bk-${i + 1}` },
      at,
    );
    if (made.failure) throw new Error(made.failure.message);
  }
}

async function corrupt(id: string) {
  const key = `batch/backups/${id}/state.tar.zst`;
  const got = await s3().send(new GetObjectCommand({ Bucket: 'backups', Key: key }));
  const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
  // Same size, with a stored SHA256 of the corrupted bytes: only the declared sha256 disagrees.
  await s3().send(
    new PutObjectCommand({ Bucket: 'backups', Key: key, Body: bytes, ChecksumAlgorithm: 'SHA256' }),
  );
}

const verdicts = (candidates: unknown) =>
  (candidates as Candidate[]).map((c) => `${c.backup_id}:${c.verdict}`);

describe('restore-precheck with the backups prefix (newest good backup)', () => {
  it('takes the newest complete backup and records the others as not checked', async () => {
    await threeBackups();
    const result = await runPrecheck({}, hours(26));
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({
      'backup-id': 'bk-3',
      'backup-uri': 's3://backups/batch/backups/bk-3',
      'backup-age-hours': 2,
    });
    expect(verdicts(result.outputs.candidates)).toEqual([
      'bk-3:chosen',
      'bk-2:not_checked',
      'bk-1:not_checked',
    ]);
  });

  it('falls back past a newest backup that fails integrity, and says why it was passed over', async () => {
    await threeBackups();
    await corrupt('bk-3');
    const result = await runPrecheck({}, hours(26));
    expect(result.failure).toBeUndefined();
    expect(result.outputs['backup-id']).toBe('bk-2');
    const candidates = result.outputs.candidates as Candidate[];
    expect(verdicts(candidates)).toEqual(['bk-3:integrity_failed', 'bk-2:chosen', 'bk-1:not_checked']);
    expect(candidates[0]?.detail).toMatch(/state.tar.zst: checksum_mismatch/);
    expect(result.summary).toContain('integrity_failed');
  });

  it('19.7: a HEAD 500 storm on the newest backup is backup_unavailable, not integrity_failed: the next candidate is chosen', async () => {
    await threeBackups();
    const result = await throughFaultProxy(emulator.endpoint, [s3Storm('HEAD', '/batch/backups/bk-3/')], () =>
      runPrecheck({}, hours(26)),
    );
    expect(result.failure).toBeUndefined();
    expect(result.outputs['backup-id']).toBe('bk-2');
    const candidates = result.outputs.candidates as Candidate[];
    expect(verdicts(candidates)).toEqual(['bk-3:unavailable', 'bk-2:chosen', 'bk-1:not_checked']);
    expect(candidates[0]?.detail).toMatch(/manifests\.tar\.zst: unavailable \(UnknownError \(HTTP 500\)\)/);
  });

  it('19.7: S3 not answering for any candidate fails backup_unavailable; a proven corrupt newer one does not make it integrity_failed', async () => {
    await threeBackups();
    await corrupt('bk-3');
    const result = await throughFaultProxy(
      emulator.endpoint,
      [s3Storm('HEAD', '/batch/backups/bk-2/'), s3Storm('HEAD', '/batch/backups/bk-1/')],
      () => runPrecheck({}, hours(25)),
    );
    expect(result.failure?.reason).toBe('backup_unavailable');
    expect(result.failure?.message).toMatch(/not answering after retries: try again/);
    expect(verdicts(result.outputs.candidates)).toEqual([
      'bk-3:integrity_failed',
      'bk-2:unavailable',
      'bk-1:unavailable',
    ]);
  });

  it('19.7: a metadata.json S3 does not answer for is unavailable (the next backup is taken), not metadata_invalid', async () => {
    await threeBackups();
    const result = await throughFaultProxy(
      emulator.endpoint,
      [s3Storm('GET', '/batch/backups/bk-3/metadata.json')],
      () => runPrecheck({}, hours(26)),
    );
    expect(result.failure).toBeUndefined();
    expect(verdicts(result.outputs.candidates)).toEqual([
      'bk-3:unavailable',
      'bk-2:chosen',
      'bk-1:not_checked',
    ]);
  });

  it('never takes an unfinished backup (no metadata.json), even the newest', async () => {
    await threeBackups();
    await s3().send(
      new PutObjectCommand({
        Bucket: 'backups',
        Key: 'batch/backups/bk-4/state.tar.zst',
        Body: Buffer.from('partial'),
      }),
    );
    const result = await runPrecheck({}, new Date());
    // bk-4 was written "now"; the three complete ones are far older than the bound.
    expect(result.failure?.reason).toBe('backup_too_old');
    expect(verdicts(result.outputs.candidates)).toEqual([
      'bk-4:incomplete',
      'bk-3:too_old',
      'bk-2:too_old',
      'bk-1:too_old',
    ]);
  });

  it('falls back only within max-backup-age-hours: an older good backup outside the bound is not taken', async () => {
    await threeBackups();
    await corrupt('bk-3');
    const result = await runPrecheck({ 'max-backup-age-hours': '6' }, hours(26));
    expect(result.failure?.reason).toBe('integrity_failed');
    expect(verdicts(result.outputs.candidates)).toEqual([
      'bk-3:integrity_failed',
      'bk-2:too_old',
      'bk-1:too_old',
    ]);
  });

  it('fails backup_missing on an empty prefix', async () => {
    await ensureBucket(s3(), 'backups');
    const result = await runPrecheck({}, hours(1));
    expect(result.failure).toMatchObject({ reason: 'backup_missing' });
  });
});

describe('restore-precheck mode age-metric (the freshness schedule)', () => {
  it('publishes BackupAgeHours of the newest complete backup with check-health dimensions', async () => {
    await threeBackups();
    const at = new Date();
    const result = await runPrecheck(
      {
        mode: 'age-metric',
        'publish-bucket': 'my-publisher',
        'publish-prefix': 'batch/',
        'max-backup-age-hours': '26',
      },
      at,
    );
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({ 'backup-id': 'bk-3', 'metric-published': true });
    const data = await new AwsClients()
      .client('cloudwatch', (c) => new CloudWatchClient(c))
      .send(
        new GetMetricDataCommand({
          StartTime: new Date(at.getTime() - 600_000),
          EndTime: new Date(at.getTime() + 600_000),
          MetricDataQueries: [
            {
              Id: 'age',
              MetricStat: {
                Metric: {
                  Namespace: 'Standby/Pipeline',
                  MetricName: 'BackupAgeHours',
                  Dimensions: [{ Name: 'Pipeline', Value: 'my-publisher/batch' }],
                },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );
    expect(data.MetricDataResults?.[0]?.Values?.[0]).toBe(result.outputs['backup-age-hours']);
  });

  it('publishes nothing and fails when there is no complete backup (the alarm treats missing data as breaching)', async () => {
    await ensureBucket(s3(), 'backups');
    const result = await runPrecheck({ mode: 'age-metric', 'metric-dimensions': 'Pipeline=x' }, hours(1));
    expect(result.failure?.reason).toBe('backup_missing');
    expect(result.outputs['metric-published']).toBe(false);
  });

  it('refuses one backup instead of the prefix', async () => {
    const result = await runPrecheck({ mode: 'age-metric', 'backup-uri': 's3://backups/batch/backups/bk-1' });
    expect(result.failure).toMatchObject({ reason: 'invalid_input' });
  });
});
