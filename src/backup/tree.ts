import { createReadStream, lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ARCHIVE_CHUNK, ArchiveError, type TarEntry } from './tar-writer.js';

/** Byte order of the UTF-8 names: the same on every machine and locale (localeCompare is not). */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function kindOf(stats: Stats): string {
  if (stats.isSocket()) return 'a socket';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return 'a device';
  return 'of an unknown type';
}

/**
 * A file's bytes, read only when the tar writer asks for them: a small file in one read into a buffer of
 * its own size, a large one streamed in ARCHIVE_CHUNK pieces, so memory stays bounded by one chunk.
 */
function fileContent(absolute: string, size: number): () => AsyncIterable<Buffer> {
  if (size > ARCHIVE_CHUNK) return () => createReadStream(absolute, { highWaterMark: ARCHIVE_CHUNK });
  return async function* () {
    yield readFileSync(absolute);
  };
}

/**
 * The entries of a directory tree for the tar writer: depth first, names sorted by bytes, links kept as
 * links (never followed), hard links stored as separate regular files. Sockets, FIFOs and devices have
 * no place in application state: they are refused, naming the path. `exclude` names top-level entries
 * to leave out (the marker file of an earlier restore, when the primary was once a standby).
 *
 * The walk and small-file reads use the synchronous fs calls on purpose: each asynchronous call is a
 * round trip through libuv's thread pool, five per file, and a tree of 4 KiB files spent 40% of its
 * time idle waiting on them (docs/benchmarks.md, "standby backup: three shapes"). Compression runs on
 * the thread pool meanwhile, so nothing else waits on these calls.
 */
export async function* walkTree(
  root: string,
  exclude: ReadonlySet<string> = new Set(),
): AsyncGenerator<TarEntry> {
  const top = (() => {
    try {
      return lstatSync(root);
    } catch {
      return undefined;
    }
  })();
  if (!top?.isDirectory()) throw new ArchiveError(`${root} is not a directory`);
  yield* walkDirectory(root, '', exclude);
}

async function* walkDirectory(
  root: string,
  relative: string,
  exclude: ReadonlySet<string>,
): AsyncGenerator<TarEntry> {
  const names = readdirSync(path.join(root, relative)).sort(compareNames);
  for (const name of names) {
    if (relative === '' && exclude.has(name)) continue;
    const entryPath = relative === '' ? name : `${relative}/${name}`;
    const absolute = path.join(root, entryPath);
    const stats = lstatSync(absolute);
    if (stats.isDirectory()) {
      yield { path: entryPath, type: 'directory' };
      yield* walkDirectory(root, entryPath, exclude);
    } else if (stats.isFile()) {
      yield {
        path: entryPath,
        type: 'file',
        size: stats.size,
        executable: (stats.mode & 0o111) !== 0,
        content: fileContent(absolute, stats.size),
      };
    } else if (stats.isSymbolicLink()) {
      yield { path: entryPath, type: 'symlink', linkTarget: readlinkSync(absolute) };
    } else {
      throw new ArchiveError(
        `${absolute} is ${kindOf(stats)}: only files, directories and symlinks are backed up`,
      );
    }
  }
}
