import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { extract } from 'tar-stream';
import { bufferEntry, FIXED_MTIME_SECONDS, type TarEntry, tarStream } from '../../src/backup/tar-writer.js';

/**
 * The project's tar writer (src/backup/tar-writer.ts) read back by two independent readers: tar-stream
 * (npm) and GNU tar. Kept hand-written: determinism (fixed owner, mtime, modes) and streaming with the
 * size check are the point, and both readers agree with it on every entry kind it writes.
 */
const longName = `deep/${'d'.repeat(120)}/${'f'.repeat(90)}.txt`;
const entries: TarEntry[] = [
  { path: 'data', type: 'directory' },
  bufferEntry('data/empty', Buffer.alloc(0)),
  bufferEntry('data/hello.txt', Buffer.from('hello\n')),
  { ...bufferEntry('data/run.sh', Buffer.from('#!/bin/sh\necho hi\n')), executable: true },
  bufferEntry('data/block-exact.bin', Buffer.alloc(512, 7)),
  bufferEntry('data/übung-ß.txt', Buffer.from('non-ASCII name\n')),
  bufferEntry(longName, Buffer.from('long name via pax\n')),
  { path: 'data/link', type: 'symlink', linkTarget: 'hello.txt' },
  { path: 'data/long-link', type: 'symlink', linkTarget: `../${'t'.repeat(150)}` },
];

async function archive(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(entries)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('tar writer read back by tar-stream and GNU tar', () => {
  it('tar-stream reads every entry: name, kind, size, mode, link target, mtime, owner, bytes', async () => {
    const read: Record<string, unknown>[] = [];
    const parser = extract();
    const done = new Promise<void>((resolve, reject) => {
      parser.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c) => chunks.push(c as Buffer));
        stream.on('end', () => {
          read.push({
            name: header.name,
            type: header.type,
            size: header.size,
            mode: header.mode,
            linkname: header.linkname ?? null,
            mtime: header.mtime?.getTime(),
            uid: header.uid,
            gid: header.gid,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          next();
        });
      });
      parser.on('finish', resolve);
      parser.on('error', reject);
    });
    Readable.from([await archive()]).pipe(parser);
    await done;
    const expected = entries.map((e) => ({
      name: e.type === 'directory' ? `${e.path}/` : e.path, // as GNU tar writes directories
      type: e.type,
      size: e.type === 'file' ? e.size : 0,
      mode:
        e.type === 'directory' || e.executable ? 0o755 : e.type === 'symlink' ? expect.any(Number) : 0o644,
      linkname: e.linkTarget ?? null,
      mtime: FIXED_MTIME_SECONDS * 1000,
      uid: 0,
      gid: 0,
      body: expect.any(String),
    }));
    expect(read).toEqual(expected);
    expect(read.find((r) => r.name === longName)?.body).toBe('long name via pax\n');
  });

  it('GNU tar lists it without a warning and extracts the same bytes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'standby-tar-diff-'));
    const file = path.join(dir, 'a.tar');
    writeFileSync(file, await archive());
    const listed = spawnSync('tar', ['-tvf', file, '--numeric-owner'], { encoding: 'utf8' });
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) =>
          l
            .replace(/ -> .*/, '')
            .split(/\s+/)
            .slice(5)
            .join(' '),
        ),
    ).toEqual(entries.map((e) => (e.type === 'directory' ? `${e.path}/` : e.path)));
    const out = path.join(dir, 'x');
    const extracted = spawnSync('tar', ['-xf', file, '-C', dir, '--one-top-level=x'], { encoding: 'utf8' });
    expect(extracted.stderr).toBe('');
    expect(readFileSync(path.join(out, 'data/hello.txt'), 'utf8')).toBe('hello\n');
    expect(readFileSync(path.join(out, longName), 'utf8')).toBe('long name via pax\n');
    expect(readFileSync(path.join(out, 'data/übung-ß.txt'), 'utf8')).toBe('non-ASCII name\n');
    expect(readFileSync(path.join(out, 'data/link'), 'utf8')).toBe('hello\n');
  });
});
