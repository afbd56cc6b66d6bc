import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError, type TarEntry } from './tar-writer.js';

/** Byte order of the UTF-8 names: the same on every machine and locale (localeCompare is not). */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function kindOf(stats: Awaited<ReturnType<typeof lstat>>): string {
  if (stats.isSocket()) return 'a socket';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return 'a device';
  return 'of an unknown type';
}

/**
 * The entries of a directory tree for the tar writer: depth first, names sorted by bytes, links kept as
 * links (never followed), hard links stored as separate regular files. Sockets, FIFOs and devices have
 * no place in application state: they are refused, naming the path. `exclude` names top-level entries
 * to leave out (the marker file of an earlier restore, when the primary was once a standby).
 */
export async function* walkTree(
  root: string,
  exclude: ReadonlySet<string> = new Set(),
): AsyncGenerator<TarEntry> {
  const top = await lstat(root).catch(() => undefined);
  if (!top?.isDirectory()) throw new ArchiveError(`${root} is not a directory`);
  yield* walkDirectory(root, '', exclude);
}

async function* walkDirectory(
  root: string,
  relative: string,
  exclude: ReadonlySet<string>,
): AsyncGenerator<TarEntry> {
  const names = (await readdir(path.join(root, relative))).sort(compareNames);
  for (const name of names) {
    if (relative === '' && exclude.has(name)) continue;
    const entryPath = relative === '' ? name : `${relative}/${name}`;
    const absolute = path.join(root, entryPath);
    const stats = await lstat(absolute);
    if (stats.isDirectory()) {
      yield { path: entryPath, type: 'directory' };
      yield* walkDirectory(root, entryPath, exclude);
    } else if (stats.isFile()) {
      yield {
        path: entryPath,
        type: 'file',
        size: stats.size,
        executable: (stats.mode & 0o111) !== 0,
        content: () => createReadStream(absolute, { highWaterMark: 1024 * 1024 }),
      };
    } else if (stats.isSymbolicLink()) {
      yield { path: entryPath, type: 'symlink', linkTarget: await readlink(absolute) };
    } else {
      throw new ArchiveError(
        `${absolute} is ${kindOf(stats)}: only files, directories and symlinks are backed up`,
      );
    }
  }
}
