import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import type { ArtifactCheck } from '../../../src/backup/verify.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { sha256 } from '../../helpers/backup.js';
import { useEmulator } from '../../helpers/emulator.js';
import { DIGEST_IMAGE, runBackup, runPrecheck, sourceTree } from '../../helpers/standby-backup.js';

useEmulator();

const s3 = () => new AwsClients().s3;
const body = async (key: string) =>
  Buffer.from(
    await ((
      await s3().send(new GetObjectCommand({ Bucket: 'backups', Key: key }))
    ).Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())),
  );

describe('standby backup on the emulator', () => {
  it('uploads both archives single-part with SHA256, then metadata.json; precheck proves them without a download', async () => {
    await ensureBucket(s3(), 'backups');
    const { stateDir, manifestsDir } = sourceTree();
    const made = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-1',
    });
    expect(made.failure).toBeUndefined();
    expect(made.outputs).toMatchObject({
      'backup-uri': 's3://backups/batch/backups/bk-1',
      'image-digests': [DIGEST_IMAGE],
      'unpinned-images': [],
      'manifest-objects': 4,
    });
    const metadata = JSON.parse((await body('batch/backups/bk-1/metadata.json')).toString());
    expect(metadata).toMatchObject({
      schema: 'standby.backup/v1',
      backup_id: 'bk-1',
      created_utc: '2026-11-22T00:00:00.000Z',
      tool: { name: 'standby', version: '0.1.0' },
      images: { digests: [DIGEST_IMAGE] },
      state: { marker_file: '.standby-state-marker', marker: made.outputs['state-marker'] },
      manifests: { format: 'json', objects: 4 },
    });
    expect(typeof metadata.source_host).toBe('string');
    for (const name of ['state.tar.zst', 'manifests.tar.zst']) {
      const stored = await body(`batch/backups/bk-1/${name}`);
      expect(metadata.artifacts[name]).toMatchObject({
        bytes: stored.length,
        sha256: sha256(stored),
        upload: 'single-part',
      });
      const head = await s3().send(
        new HeadObjectCommand({
          Bucket: 'backups',
          Key: `batch/backups/bk-1/${name}`,
          ChecksumMode: 'ENABLED',
        }),
      );
      expect(Buffer.from(head.ChecksumSHA256 ?? '', 'base64').toString('hex')).toBe(sha256(stored));
    }
    // metadata.json is the last object written.
    const listing = await s3().send(
      new ListObjectsV2Command({ Bucket: 'backups', Prefix: 'batch/backups/bk-1/' }),
    );
    const times = Object.fromEntries(
      (listing.Contents ?? []).map((o) => [o.Key?.split('/').pop(), o.LastModified?.getTime() ?? 0]),
    );
    expect(times['metadata.json']).toBeGreaterThanOrEqual(
      Math.max(times['state.tar.zst'] ?? 0, times['manifests.tar.zst'] ?? 0),
    );

    const checked = await runPrecheck({ 'backup-uri': 's3://backups/batch/backups/bk-1' });
    expect(checked.status).toBe('ok');
    expect(
      (checked.outputs.integrity as ArtifactCheck[]).map((c) => [c.checksum_source, c.bytes_downloaded]),
    ).toEqual([
      ['s3-full-object-sha256', 0],
      ['s3-full-object-sha256', 0],
    ]);
    expect(checked.outputs['state-marker']).toBe(made.outputs['state-marker']);
    expect(checked.outputs['image-digests']).toEqual([DIGEST_IMAGE]);
  });

  it('gives the same sha256 for the same input across two runs (different ids, times and hosts)', async () => {
    await ensureBucket(s3(), 'backups');
    const { stateDir, manifestsDir } = sourceTree();
    const first = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-a',
      'source-host': 'a',
    });
    const second = await runBackup(
      { 'state-dir': stateDir, 'manifests-dir': manifestsDir, 'backup-id': 'bk-b', 'source-host': 'b' },
      new Date('2026-11-23T00:00:00Z'),
    );
    const digests = (o: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(o.artifacts as Record<string, { sha256: string }>).map(([n, a]) => [n, a.sha256]),
      );
    expect(digests(second.outputs)).toEqual(digests(first.outputs));
    expect(second.outputs['state-marker']).toBe(first.outputs['state-marker']);
    expect(second.outputs['metadata-sha256']).not.toBe(first.outputs['metadata-sha256']);
  });

  it('uploads a large artifact multipart with a full-object CRC64NVME that precheck accepts without a download', async () => {
    await ensureBucket(s3(), 'backups');
    const { stateDir, manifestsDir } = sourceTree({
      'blob.bin': randomBytes(11 * 1024 * 1024).toString('latin1'),
    });
    const made = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-big',
      'single-part-max-mib': '1',
      'part-size-mib': '5',
    });
    expect(made.failure).toBeUndefined();
    const artifacts = made.outputs.artifacts as Record<
      string,
      { upload: string; parts: number; checksum: string }
    >;
    expect(artifacts['state.tar.zst']).toMatchObject({ upload: 'multipart', checksum: 'CRC64NVME' });
    expect(artifacts['state.tar.zst']?.parts).toBeGreaterThanOrEqual(3);
    const head = await s3().send(
      new HeadObjectCommand({
        Bucket: 'backups',
        Key: 'batch/backups/bk-big/state.tar.zst',
        ChecksumMode: 'ENABLED',
      }),
    );
    expect(head.ChecksumType).toBe('FULL_OBJECT');
    const metadata = JSON.parse((await body('batch/backups/bk-big/metadata.json')).toString());
    expect(head.ChecksumCRC64NVME).toBe(metadata.artifacts['state.tar.zst'].crc64nvme);
    expect(sha256(await body('batch/backups/bk-big/state.tar.zst'))).toBe(
      metadata.artifacts['state.tar.zst'].sha256,
    );

    const checked = await runPrecheck({ 'backup-uri': 's3://backups/batch/backups/bk-big' });
    expect(checked.failure).toBeUndefined();
    const state = (checked.outputs.integrity as ArtifactCheck[]).find((c) => c.name === 'state.tar.zst');
    expect(state).toMatchObject({
      checksum_source: 's3-full-object-crc64nvme',
      bytes_downloaded: 0,
      result: 'ok',
    });
  });

  it('catches a multipart artifact replaced after the backup (its CRC no longer matches)', async () => {
    await ensureBucket(s3(), 'backups');
    const { stateDir, manifestsDir } = sourceTree({
      'blob.bin': randomBytes(6 * 1024 * 1024).toString('latin1'),
    });
    await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-x',
      'single-part-max-mib': '1',
    });
    const original = await body('batch/backups/bk-x/state.tar.zst');
    original[100] = (original[100] ?? 0) ^ 1;
    await s3().send(
      new PutObjectCommand({
        Bucket: 'backups',
        Key: 'batch/backups/bk-x/state.tar.zst',
        Body: original,
        ChecksumAlgorithm: 'CRC64NVME',
      }),
    );
    const checked = await runPrecheck({ 'backup-uri': 's3://backups/batch/backups/bk-x' });
    expect(checked.failure?.reason).toBe('integrity_failed');
    expect(checked.failure?.message).toMatch(/stored CRC64NVME .* differs from the declared/);
  });

  it('refuses a backup id that already has a metadata.json, before uploading anything', async () => {
    await ensureBucket(s3(), 'backups');
    const { stateDir, manifestsDir } = sourceTree();
    await runBackup({ 'state-dir': stateDir, 'manifests-dir': manifestsDir, 'backup-id': 'bk-1' });
    const before = await body('batch/backups/bk-1/state.tar.zst');
    const { stateDir: other } = sourceTree({ 'cursor.json': 'changed' });
    const again = await runBackup({ 'state-dir': other, 'manifests-dir': manifestsDir, 'backup-id': 'bk-1' });
    expect(again.failure).toMatchObject({ reason: 'backup_exists' });
    expect((await body('batch/backups/bk-1/state.tar.zst')).equals(before)).toBe(true);
  });

  it('records the state claim when the manifests honour the state contract, and refuses them when they do not', async () => {
    await ensureBucket(s3(), 'backups');
    const { stateDir, manifestsDir } = sourceTree();
    const ok = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-c',
      'state-claim': 'jobintel-state',
    });
    expect(ok.failure).toBeUndefined();
    expect(JSON.parse((await body('batch/backups/bk-c/metadata.json')).toString()).state.claim).toBe(
      'jobintel-state',
    );
    expect(
      (await runPrecheck({ 'backup-uri': 's3://backups/batch/backups/bk-c' })).outputs['state-claim'],
    ).toBe('jobintel-state');
    const bad = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-d',
      'state-claim': 'other',
    });
    expect(bad.failure).toMatchObject({ reason: 'manifests_invalid' });
    expect(bad.failure?.message).toBe(
      'state contract: the manifests have no PersistentVolumeClaim other (docs/restore.md)',
    );
  });

  it('refuses invalid manifests with the file and object named, and writes nothing', async () => {
    await ensureBucket(s3(), 'backups');
    const { stateDir, manifestsDir } = sourceTree();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${manifestsDir}/30-bad.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
    const made = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-bad',
    });
    expect(made.failure).toMatchObject({ reason: 'manifests_invalid' });
    expect(made.failure?.message).toContain('30-bad.yaml object 1: metadata.name is missing');
    const listing = await s3().send(
      new ListObjectsV2Command({ Bucket: 'backups', Prefix: 'batch/backups/bk-bad/' }),
    );
    expect(listing.KeyCount ?? 0).toBe(0);
  });
});
