import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import type { ArtifactCheck } from '../../../src/backup/verify.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { restorePrecheck } from '../../../src/phases/restore-precheck/index.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import { seedBackup } from '../../helpers/backup.js';
import { useEmulator } from '../../helpers/emulator.js';

useEmulator();

const NOW = new Date('2026-11-22T02:00:00Z');

async function precheck(uri: string, extra: Record<string, string> = {}) {
  const io = new MemoryIO({ 'execution-id': 'drill-1', 'backup-uri': uri, ...extra });
  const run = await runPhase(restorePrecheck, io, { aws: new AwsClients(), now: () => NOW, env: {} });
  const integrity = (run.result.outputs.integrity ?? []) as ArtifactCheck[];
  return { ...run.result, integrity, io };
}

describe('restore-precheck on the emulator', () => {
  it('proves both artifacts from S3 stored SHA256 checksums without downloading them', async () => {
    const backup = await seedBackup(new AwsClients().s3);
    const result = await precheck(`${backup.uri}/`);
    expect(result.status).toBe('ok');
    expect(result.outputs['backup-id']).toBe('bk-20261122');
    expect(result.outputs['backup-uri']).toBe(backup.uri);
    expect(result.outputs['backup-age-hours']).toBe(2);
    expect(result.integrity.map((c) => [c.name, c.result, c.checksum_source, c.bytes_downloaded])).toEqual([
      ['manifests.tar.zst', 'ok', 's3-full-object-sha256', 0],
      ['state.tar.zst', 'ok', 's3-full-object-sha256', 0],
    ]);
  });

  it('streams and hashes objects that have no stored SHA256', async () => {
    const backup = await seedBackup(new AwsClients().s3, { storedChecksum: false });
    const result = await precheck(backup.uri);
    expect(result.status).toBe('ok');
    const state = result.integrity.find((c) => c.name === 'state.tar.zst');
    expect(state).toMatchObject({
      checksum_source: 'streamed-sha256',
      bytes_downloaded: backup.artifacts['state.tar.zst']?.length,
      result: 'ok',
    });
  });

  it('records the S3 requests it made and the bytes it read, for the drill cost', async () => {
    const stored = await seedBackup(new AwsClients().s3);
    const metadataBytes = Buffer.byteLength(JSON.stringify(stored.metadata));
    // Stored checksums: GET metadata.json, HEAD each artifact, nothing downloaded beyond metadata.json.
    expect((await precheck(stored.uri)).outputs['s3-reads']).toEqual({
      get_requests: 1,
      head_requests: 2,
      list_requests: 0,
      bytes: metadataBytes,
    });
    const streamed = await seedBackup(new AwsClients().s3, { storedChecksum: false });
    const artifactBytes = Object.values(streamed.artifacts).reduce((n, b) => n + b.length, 0);
    // No stored checksums: each artifact is also streamed (one GET each) and its bytes count.
    expect((await precheck(streamed.uri)).outputs['s3-reads']).toEqual({
      get_requests: 3,
      head_requests: 2,
      list_requests: 0,
      bytes: metadataBytes + artifactBytes,
    });
  });

  it('streams a multipart object, whose composite SHA256 proves nothing about the file', async () => {
    const s3 = new AwsClients().s3;
    const part = Buffer.alloc(5 * 1024 * 1024, 7);
    const state = Buffer.concat([part, Buffer.from('tail')]);
    const backup = await seedBackup(s3, {
      artifacts: { 'state.tar.zst': state, 'manifests.tar.zst': Buffer.from('m') },
      upload: (name, body) => (name === 'state.tar.zst' ? undefined : body),
    });
    const Key = `${backup.folder}/state.tar.zst`;
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: backup.bucket, Key, ChecksumAlgorithm: 'SHA256' }),
    );
    const parts = [];
    for (const [i, body] of [part, Buffer.from('tail')].entries()) {
      const uploaded = await s3.send(
        new UploadPartCommand({
          Bucket: backup.bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      parts.push({ PartNumber: i + 1, ETag: uploaded.ETag, ChecksumSHA256: uploaded.ChecksumSHA256 });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: backup.bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const result = await precheck(backup.uri);
    expect(result.failure).toBeUndefined();
    expect(result.integrity.find((c) => c.name === 'state.tar.zst')).toMatchObject({
      checksum_source: 'streamed-sha256',
      bytes_downloaded: state.length,
    });
  });

  it('fails on a flipped byte in state.tar.zst (stored checksum path)', async () => {
    const backup = await seedBackup(new AwsClients().s3, {
      upload: (name, body) => (name === 'state.tar.zst' ? flip(body) : body),
    });
    const result = await precheck(backup.uri);
    expect(result.status).toBe('failed');
    expect(result.failure?.reason).toBe('integrity_failed');
    expect(result.integrity.find((c) => c.name === 'state.tar.zst')).toMatchObject({
      result: 'checksum_mismatch',
      checksum_source: 's3-full-object-sha256',
    });
  });

  it('fails on a flipped byte in state.tar.zst (streaming path)', async () => {
    const backup = await seedBackup(new AwsClients().s3, {
      storedChecksum: false,
      upload: (name, body) => (name === 'state.tar.zst' ? flip(body) : body),
    });
    const result = await precheck(backup.uri);
    expect(result.status).toBe('failed');
    expect(result.integrity.find((c) => c.name === 'state.tar.zst')).toMatchObject({
      result: 'checksum_mismatch',
      checksum_source: 'streamed-sha256',
    });
  });

  it('fails on a size mismatch before hashing anything', async () => {
    const backup = await seedBackup(new AwsClients().s3, {
      upload: (name, body) => (name === 'manifests.tar.zst' ? Buffer.concat([body, Buffer.from('x')]) : body),
    });
    const result = await precheck(backup.uri);
    expect(result.status).toBe('failed');
    const manifests = result.integrity.find((c) => c.name === 'manifests.tar.zst');
    expect(manifests).toMatchObject({ result: 'size_mismatch', bytes_downloaded: 0 });
    expect(manifests?.detail).toContain('declares');
  });

  it('fails on a missing object and names its key', async () => {
    const backup = await seedBackup(new AwsClients().s3, {
      upload: (name, body) => (name === 'state.tar.zst' ? undefined : body),
    });
    const result = await precheck(backup.uri);
    expect(result.status).toBe('failed');
    expect(result.failure?.reason).toBe('backup_missing');
    expect(result.failure?.message).toContain(`${backup.folder}/state.tar.zst does not exist`);
  });

  it('fails when metadata.json itself is missing', async () => {
    const result = await precheck('s3://backups/batch/backups/nothing-here').catch((e) => e);
    expect(result.status).toBe('failed');
    expect(['backup_missing', 'backup_unreadable']).toContain(result.failure?.reason);
  });

  it('fails on malformed metadata.json', async () => {
    const backup = await seedBackup(new AwsClients().s3, { metadataText: '{"backup_id": "bk-20261122", ' });
    const result = await precheck(backup.uri);
    expect(result.failure).toMatchObject({ reason: 'metadata_invalid' });
    expect(result.failure?.message).toContain('not JSON');
  });

  it('fails on metadata.json missing a field, naming it', async () => {
    const backup = await seedBackup(new AwsClients().s3, {
      metadata: ({ created_utc: _omit, ...rest }) => rest,
    });
    const result = await precheck(backup.uri);
    expect(result.failure).toMatchObject({ reason: 'metadata_invalid' });
    expect(result.failure?.message).toContain('created_utc');
  });

  it('fails on a backup older than max-backup-age-hours and still reports its age', async () => {
    const backup = await seedBackup(new AwsClients().s3, { createdUtc: '2026-11-20T18:00:00-05:00' });
    const result = await precheck(backup.uri, { 'max-backup-age-hours': '26' });
    expect(result.status).toBe('failed');
    expect(result.failure?.reason).toBe('backup_too_old');
    expect(result.outputs['backup-age-hours']).toBe(27);
  });

  it('refuses a backup-uri that is not .../backups/<id>', async () => {
    const result = await precheck('s3://backups/batch/state');
    expect(result.failure?.reason).toBe('invalid_input');
    expect(result.failure?.message).toContain("input 'backup-uri'");
  });
});

function flip(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  copy[10] = (copy[10] ?? 0) ^ 0xff;
  return copy;
}
