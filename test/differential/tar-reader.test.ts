import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { extract } from 'tar-stream';
import { manifestEntries } from '../../src/backup/manifests.js';
import { tarStream } from '../../src/backup/tar-writer.js';
import { readTarFiles } from '../../src/preview/tar-reader.js';

/**
 * The preview's tar reader (src/preview/tar-reader.ts) against tar-stream (npm) on the same archives:
 * GNU tar's pax and gnu formats and standby backup's own writer. Kept hand-written: it reads a buffer
 * synchronously, returns only regular files and refuses what restore.sh refuses; tar-stream is a
 * dev dependency only. Both must see the same regular files with the same bytes.
 */
async function byTarStream(archive: Buffer): Promise<Array<{ name: string; body: string }>> {
  const files: Array<{ name: string; body: string }> = [];
  const parser = extract();
  const done = new Promise<void>((resolve, reject) => {
    parser.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => {
        if (header.type === 'file')
          files.push({
            name: header.name.replace(/^\.\//, ''),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        next();
      });
    });
    parser.on('finish', resolve);
    parser.on('error', reject);
  });
  Readable.from([archive]).pipe(parser);
  await done;
  return files;
}

function gnuTar(format: 'pax' | 'gnu'): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-tar-'));
  const root = path.join(dir, 'in');
  const long = path.join(root, 'x'.repeat(80), `${'y'.repeat(90)}.yaml`);
  mkdirSync(path.dirname(long), { recursive: true });
  writeFileSync(long, 'long\n');
  writeFileSync(path.join(root, 'übung.json'), '{"a": 1}');
  writeFileSync(path.join(root, 'block.yaml'), 'z'.repeat(512));
  writeFileSync(path.join(root, 'empty.yml'), '');
  symlinkSync('block.yaml', path.join(root, 'link.yaml'));
  expect(
    spawnSync('tar', [`--format=${format}`, '-C', root, '-cf', path.join(dir, 'a.tar'), '.']).status,
  ).toBe(0);
  return readFileSync(path.join(dir, 'a.tar'));
}

async function standbyBackupArchive(): Promise<Buffer> {
  const objects = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a'.repeat(200), namespace: 'jobintel' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobintel' } },
  ];
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(manifestEntries(objects))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('preview tar reader agrees with tar-stream', () => {
  it.each([
    ['GNU tar, pax format', async () => gnuTar('pax')],
    ['GNU tar, gnu format', async () => gnuTar('gnu')],
    ['standby backup’s writer', standbyBackupArchive],
  ])('%s: the same regular files, names and bytes', async (_, make) => {
    const archive = await make();
    const ours = readTarFiles(archive).map((f) => ({ name: f.name, body: f.body.toString('utf8') }));
    expect(ours.length).toBeGreaterThan(1);
    expect(ours).toEqual(await byTarStream(archive));
  });
});
