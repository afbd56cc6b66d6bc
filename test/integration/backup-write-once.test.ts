import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients, clientConfig } from '../../src/aws/clients.js';
import { storedContent, writeOnce } from '../../src/aws/s3-write-once.js';
import { BackupExistsError, createBackup } from '../../src/backup/create.js';
import { backupIn, parseBackupPrefix } from '../../src/backup/layout.js';
import { loadManifestDirectory } from '../../src/backup/manifests.js';
import { uploadArtifact } from '../../src/backup/upload.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { sha256 } from '../helpers/backup.js';
import { useEmulator } from '../helpers/emulator.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { runBackup, runPrecheck, sourceTree } from '../helpers/standby-backup.js';

/**
 * Issues 19.4 and 19.5: every object of a backup is written once (If-None-Match through the one helper,
 * src/aws/s3-write-once.ts), and a lost response is recognised by its content, not taken for a conflict.
 */
const emulator = useEmulator();
const s3 = () => new AwsClients().s3;
const bucket = 'backups';
const body = async (key: string, client = s3()) =>
  Buffer.from(
    (await (
      await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    ).Body?.transformToByteArray()) ?? [],
  );
const keys = async (prefix: string) =>
  ((await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
    .map((o) => o.Key as string)
    .sort();

function fileOf(content: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'standby-wo-')), 'artifact.bin');
  writeFileSync(file, content);
  return file;
}

async function request(s3Client: S3Client, backupId: string, state: Record<string, string> = {}) {
  const { stateDir, manifestsDir } = sourceTree(state);
  return createBackup(s3Client, {
    backup: backupIn(parseBackupPrefix('backup-uri', 's3://backups/batch/backups/'), backupId),
    stateDir,
    manifests: await loadManifestDirectory(manifestsDir),
    manifestSource: manifestsDir,
    workDir: tmpdir(),
    createdUtc: new Date('2026-11-22T00:00:00Z'),
    sourceHost: 'test',
    toolVersion: '0.0.0',
    compressionLevel: 3,
    upload: { singlePartMaxBytes: 5120 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 },
  });
}

describe('write-once objects (src/aws/s3-write-once.ts) on the emulator', () => {
  it('19.4: an existing object is never replaced; the same content counts as written, another is "taken"', async () => {
    await ensureBucket(s3(), bucket);
    const mine = Buffer.from('my bytes');
    const put = (content: Buffer) => (condition: { IfNoneMatch: '*' }) =>
      s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'k',
          Body: content,
          ChecksumAlgorithm: 'SHA256',
          ...condition,
        }),
      );
    const spec = (content: Buffer) => ({ bytes: content.length, sha256: sha256(content) });
    expect(await writeOnce(s3(), { bucket, key: 'k' }, spec(mine), put(mine))).toEqual({ kind: 'written' });
    expect(await writeOnce(s3(), { bucket, key: 'k' }, spec(mine), put(mine))).toEqual({ kind: 'same' });
    const theirs = Buffer.from('other bytes!');
    const taken = await writeOnce(s3(), { bucket, key: 'k' }, spec(theirs), put(theirs));
    expect(taken).toMatchObject({
      kind: 'taken',
      detail: expect.stringContaining('s3://backups/k already exists'),
    });
    expect((await body('k')).equals(mine)).toBe(true);
    // An object stored without a checksum is compared by streaming its sha256.
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: mine }));
    expect(await storedContent(s3(), bucket, 'plain', spec(mine))).toEqual({ kind: 'same' });
    expect(await storedContent(s3(), bucket, 'plain', { ...spec(mine), sha256: sha256('x') })).toMatchObject({
      kind: 'different',
    });
  });

  it('19.4: a multipart artifact (If-None-Match on CompleteMultipartUpload) does not replace an existing object, and leaves no upload behind', async () => {
    await ensureBucket(s3(), bucket);
    const first = randomBytes(6 * 1024 * 1024);
    const second = randomBytes(6 * 1024 * 1024);
    const settings = { singlePartMaxBytes: 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 };
    const target = (content: Buffer) => ({
      bucket,
      key: 'big/state.tar.zst',
      file: fileOf(content),
      bytes: content.length,
      sha256: sha256(content),
    });
    const made = await uploadArtifact(s3(), target(first), settings);
    expect(made).toMatchObject({ method: 'multipart', parts: 2, write: { kind: 'written' } });
    const again = await uploadArtifact(s3(), target(first), settings);
    expect(again.write).toEqual({ kind: 'same' });
    // Found before any part left: its CRC came from a pass over the file, the first from joining part CRCs.
    expect(again.checksum.value).toBe(made.checksum.value);
    const other = await uploadArtifact(s3(), target(second), settings);
    expect(other.write).toMatchObject({ kind: 'taken' });
    expect(sha256(await body('big/state.tar.zst'))).toBe(sha256(first));
    const open = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(open.Uploads ?? []).toEqual([]);
  });

  it('19.4: the emulator enforces If-None-Match on CompleteMultipartUpload itself (the SDK field reaches S3)', async () => {
    await ensureBucket(s3(), bucket);
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'mp', Body: 'first' }));
    const content = randomBytes(6 * 1024 * 1024);
    // checkFirst off: the condition on CompleteMultipartUpload alone must refuse the write.
    const result = await writeOnce(
      s3(),
      { bucket, key: 'mp' },
      { bytes: content.length, sha256: sha256(content) },
      async (condition) => {
        const { CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand } =
          await import('@aws-sdk/client-s3');
        const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp' }));
        const part = await s3().send(
          new UploadPartCommand({ Bucket: bucket, Key: 'mp', UploadId, PartNumber: 1, Body: content }),
        );
        await s3().send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'mp',
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
            ...condition,
          }),
        );
      },
    );
    expect(result).toMatchObject({ kind: 'taken' });
    expect((await body('mp')).toString()).toBe('first');
  });
});

describe('standby backup: every object written once (issue 19.4)', () => {
  it("19.4: a second backup with the same id while the first is still uploading is refused; the first's artifacts stay", async () => {
    await ensureBucket(s3(), bucket);
    // The first backup is half way: its state archive is up, metadata.json not yet.
    const first = Buffer.from('the first backup state archive');
    await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'batch/backups/bk-same/state.tar.zst', Body: first }),
    );
    const { stateDir, manifestsDir } = sourceTree({ 'cursor.json': 'the second one' });
    const second = await runBackup({
      'state-dir': stateDir,
      'manifests-dir': manifestsDir,
      'backup-id': 'bk-same',
    });
    expect(second.status).toBe('failed');
    expect(second.failure).toMatchObject({ reason: 'backup_exists' });
    expect((await body('batch/backups/bk-same/state.tar.zst')).equals(first)).toBe(true);
    expect(await keys('batch/backups/bk-same/')).toEqual(['batch/backups/bk-same/state.tar.zst']);
  });

  it('19.4: two concurrent backups with the same id: one succeeds, the other fails, and the stored backup is intact', async () => {
    await ensureBucket(s3(), bucket);
    const a = sourceTree({ 'cursor.json': '{"offset": 1}' });
    const b = sourceTree({ 'cursor.json': '{"offset": 2}' });
    const [one, two] = await Promise.all([
      runBackup({ 'state-dir': a.stateDir, 'manifests-dir': a.manifestsDir, 'backup-id': 'bk-race' }),
      runBackup({ 'state-dir': b.stateDir, 'manifests-dir': b.manifestsDir, 'backup-id': 'bk-race' }),
    ]);
    const results = [one, two];
    expect(results.map((r) => r.status).sort()).toEqual(['failed', 'ok']);
    expect(results.find((r) => r.status === 'failed')?.failure?.reason).toBe('backup_exists');
    const winner = results.find((r) => r.status === 'ok');
    const declared = winner?.outputs.artifacts as Record<string, { sha256: string }>;
    for (const [name, artifact] of Object.entries(declared))
      expect(sha256(await body(`batch/backups/bk-race/${name}`))).toBe(artifact.sha256);
    const checked = await runPrecheck({ 'backup-uri': 's3://backups/batch/backups/bk-race' });
    expect(checked.status).toBe('ok');
  });

  it('19.4: a second writer past the id check (a race) cannot replace an artifact: it stops with backup_exists, nothing replaced', async () => {
    await ensureBucket(s3(), bucket);
    // The race, made deterministic: the second writer's listing of the folder is answered "empty" by the
    // proxy (as it was when it looked), so only the conditional writes stand between it and the first's objects.
    await request(s3(), 'bk-r', { 'cursor.json': '{"offset": 1}' });
    const before = Object.fromEntries(
      await Promise.all((await keys('batch/backups/bk-r/')).map(async (k) => [k, sha256(await body(k))])),
    );
    const proxy = await startFaultProxy(emulator.endpoint, [
      {
        match: (r) => r.method === 'GET' && r.url.includes('list-type=2'),
        status: 200,
        code: 'ListBucketResult',
        body: '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>backups</Name><Prefix>batch/backups/bk-r/</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>',
      },
    ]);
    try {
      const racing = new S3Client({ ...clientConfig(), endpoint: proxy.endpoint, forcePathStyle: true });
      await expect(request(racing, 'bk-r', { 'cursor.json': '{"offset": 2}' })).rejects.toThrow(
        BackupExistsError,
      );
    } finally {
      await proxy.close();
    }
    const after = Object.fromEntries(
      await Promise.all((await keys('batch/backups/bk-r/')).map(async (k) => [k, sha256(await body(k))])),
    );
    expect(after).toEqual(before);
  });
});

describe('standby backup: a lost response is not a conflict (issue 19.5)', () => {
  it('19.5: metadata.json stored but its answer lost: the retried PUT gets 412 for our own object and the backup is ok', async () => {
    await ensureBucket(s3(), bucket);
    const proxy = await startFaultProxy(emulator.endpoint, [
      {
        match: (r) => r.method === 'PUT' && r.url.includes('/metadata.json'),
        status: 0,
        code: '',
        action: 'reset-after-forward',
        times: 1,
      },
    ]);
    try {
      const client = new S3Client({ ...clientConfig(), endpoint: proxy.endpoint, forcePathStyle: true });
      const result = await request(client, 'bk-lost');
      const puts = proxy.seen.filter((r) => r.method === 'PUT' && r.url.includes('/metadata.json'));
      expect(puts.map((r) => r.status)).toEqual([0, 412]);
      expect(sha256(await body('batch/backups/bk-lost/metadata.json'))).toBe(result.metadataSha256);
    } finally {
      await proxy.close();
    }
    expect((await runPrecheck({ 'backup-uri': 's3://backups/batch/backups/bk-lost' })).status).toBe('ok');
  });

  it('19.5: an artifact stored but its answer lost is not a conflict either', async () => {
    await ensureBucket(s3(), bucket);
    const proxy = await startFaultProxy(emulator.endpoint, [
      {
        match: (r) => r.method === 'PUT' && r.url.includes('/state.tar.zst'),
        status: 0,
        code: '',
        action: 'reset-after-forward',
        times: 1,
      },
    ]);
    try {
      const client = new S3Client({ ...clientConfig(), endpoint: proxy.endpoint, forcePathStyle: true });
      const result = await request(client, 'bk-lost-artifact');
      expect(result.uploads['state.tar.zst']?.write).toEqual({ kind: 'same' });
    } finally {
      await proxy.close();
    }
  });
});
