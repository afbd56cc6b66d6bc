import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { ArchiveError, type TarEntry } from './tar-writer.js';

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
 * Files up to this size are read whole, straight into the archive's chunks; larger ones stream in pieces
 * of this size, which pass through to the compressor without a copy (they are larger than a chunk).
 */
const READ_PIECE = 1024 * 1024;

/** Opens a listed regular file without following a link that has replaced it since the listing. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * A file the listing calls regular, as an entry: opened (never through a link), its size and mode from
 * the open file. A small file is read by the tar writer straight into its archive chunk (no buffer of
 * its own) while the walk waits at the yield, and closed when the walk moves on; a larger one is
 * streamed later in READ_PIECE pieces, so memory stays bounded by one piece. Yields nothing when it
 * is no longer a regular file: the caller then looks at it with lstat.
 */
function* regularFile(absolute: string, entryPath: string): Generator<TarEntry, boolean> {
  let fd: number;
  try {
    fd = openSync(absolute, OPEN_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return false;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return false;
    const entry: TarEntry = {
      path: entryPath,
      type: 'file',
      size: stats.size,
      executable: (stats.mode & 0o111) !== 0,
    };
    if (stats.size > READ_PIECE)
      entry.content = () => createReadStream(absolute, { highWaterMark: READ_PIECE });
    else entry.read = (target, offset, length, position) => readSync(fd, target, offset, length, position);
    yield entry;
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * The entries of a directory tree for the tar writer: depth first, names sorted by bytes, links kept as
 * links (never followed), hard links stored as separate regular files. Sockets, FIFOs and devices have
 * no place in application state: they are refused, naming the path. `exclude` names top-level entries
 * to leave out (the marker file of an earlier restore, when the primary was once a standby).
 *
 * The walk and small-file reads are synchronous on purpose, and so is the generator: each asynchronous
 * call is a round trip through libuv's thread pool, five per file, and a tree of 4 KiB files spent 40% of
 * its time idle waiting on them; an asynchronous generator costs promises per entry besides
 * (docs/benchmarks.md, "standby backup: three shapes"). Compression runs on the thread pool meanwhile,
 * so nothing else waits on these calls. The directory listing's entry types spare an lstat per entry.
 */
export function* walkTree(root: string, exclude: ReadonlySet<string> = new Set()): Generator<TarEntry> {
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

function* walkDirectory(root: string, relative: string, exclude: ReadonlySet<string>): Generator<TarEntry> {
  const directory = path.join(root, relative);
  // Names from readdir have no '/' and are never '.' or '..': joined by hand, not normalised per entry.
  const prefix = directory.endsWith('/') ? directory : `${directory}/`;
  // Each name encoded once, not once per comparison.
  const listed = readdirSync(directory, { withFileTypes: true })
    .map((dirent) => ({ dirent, bytes: Buffer.from(dirent.name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  for (const { dirent } of listed) {
    const name = dirent.name;
    if (relative === '' && exclude.has(name)) continue;
    const entryPath = relative === '' ? name : `${relative}/${name}`;
    const absolute = prefix + name;
    if (dirent.isFile() && (yield* regularFile(absolute, entryPath))) continue;
    const stats = lstatSync(absolute);
    if (stats.isDirectory()) {
      yield { path: entryPath, type: 'directory' };
      yield* walkDirectory(root, entryPath, exclude);
    } else if (stats.isFile()) {
      if (!(yield* regularFile(absolute, entryPath)))
        throw new ArchiveError(`${absolute} changed while it was listed`);
    } else if (stats.isSymbolicLink()) {
      yield { path: entryPath, type: 'symlink', linkTarget: readlinkSync(absolute) };
    } else {
      throw new ArchiveError(
        `${absolute} is ${kindOf(stats)}: only files, directories and symlinks are backed up`,
      );
    }
  }
}
