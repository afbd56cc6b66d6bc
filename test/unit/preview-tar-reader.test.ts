import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { manifestFiles } from '../../src/preview/manifest-archive.js';
import { readTarFiles } from '../../src/preview/tar-reader.js';

/** An archive made by GNU tar (as other producers make them) from a scratch directory. */
function gnuTar(format: 'pax' | 'gnu', build: (dir: string) => void): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-tar-'));
  mkdirSync(path.join(dir, 'in'));
  build(path.join(dir, 'in'));
  const run = spawnSync('tar', [
    `--format=${format}`,
    '-C',
    path.join(dir, 'in'),
    '-cf',
    path.join(dir, 'a.tar'),
    '.',
  ]);
  expect(run.status).toBe(0);
  return readFileSync(path.join(dir, 'a.tar'));
}

/** One ustar header block with the given name and type, then the body (tests of what GNU tar will not write). */
function handMade(name: string, type: string, body = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(type, 156);
  header.write('ustar\0', 257);
  const data = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  data.write(body);
  return Buffer.concat([header, data, Buffer.alloc(1024)]);
}

describe('the preview reads manifests out of tar the way restore.sh does', () => {
  const long = `${'deep/'.repeat(30)}web.yaml`;

  it.each(['pax', 'gnu'] as const)(
    'long names (%s headers), only regular files, sorted by byte order',
    (format) => {
      const archive = gnuTar(format, (dir) => {
        mkdirSync(path.join(dir, path.dirname(long)), { recursive: true });
        writeFileSync(path.join(dir, long), 'kind: A\n');
        writeFileSync(path.join(dir, 'B.json'), '{}');
        writeFileSync(path.join(dir, 'a.yml'), 'kind: B\n');
        writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
        symlinkSync('a.yml', path.join(dir, 'link.yaml'));
      });
      expect(readTarFiles(archive).map((f) => f.name)).toEqual(expect.arrayContaining([long, 'notes.txt']));
      // Symlinks are not read (restore.sh's `find -type f`), nor files that are not manifests.
      expect(manifestFiles(archive).map((f) => f.file)).toEqual(['B.json', 'a.yml', long]);
      expect(manifestFiles(archive).find((f) => f.file === long)?.text).toBe('kind: A\n');
    },
  );

  it.each([
    ['../escape.yaml', '0', /contains '\.\.'/],
    ['/etc/passwd.yaml', '0', /is an absolute path/],
    ['dev.yaml', '3', /device, FIFO or other special entry \(type '3'\)/],
    ['fifo.yaml', '6', /device, FIFO or other special entry \(type '6'\)/],
  ])('refuses %s (type %s) as the runner does', (name, type, message) => {
    expect(() => manifestFiles(handMade(name, type, 'kind: A\n'))).toThrow(message);
  });

  it('refuses an archive that ends inside an entry', () => {
    const archive = handMade('a.yaml', '0', 'x'.repeat(600)).subarray(0, 700);
    expect(() => manifestFiles(archive)).toThrow(/ends inside an entry/);
  });
});
