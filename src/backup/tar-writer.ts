import { createHash } from 'node:crypto';
import { quoted } from '../validation/errors.js';

/**
 * A deterministic POSIX tar (ustar + pax) writer that streams: entries come from an async iterable and
 * the archive leaves as an async iterable of buffers, so nothing is held but one chunk at a time.
 * Determinism: every header carries uid/gid 0, empty owner names and one fixed mtime; modes are
 * normalised (0755 for directories and executables, 0644 otherwise); the caller supplies sorted entries.
 * Long or non-ASCII names, long link targets and sizes past the ustar field use a pax extended header
 * (typeflag 'x'), which GNU tar and every POSIX tar read.
 */
export type TarEntryType = 'file' | 'directory' | 'symlink';

export interface TarEntry {
  /** Relative path with '/' separators, no leading '/' or './', no '..'. */
  path: string;
  type: TarEntryType;
  /** Regular files: the exact byte count `content` yields. */
  size?: number;
  executable?: boolean;
  linkTarget?: string;
  /** Regular files: the bytes, chunk by chunk. */
  content?: () => AsyncIterable<Buffer>;
  /**
   * Regular files already read (small files, manifests, the marker): the bytes themselves, used instead
   * of `content`, so the writer handles the entry without an asynchronous step.
   */
  data?: Buffer;
  /**
   * Regular files read straight into the archive (small files of the tree walk): copies up to `length`
   * bytes of the file, from `position`, into `target` at `offset`, and returns how many it copied (0 at
   * the end of the file). Used instead of `content`; valid until the next entry is asked for.
   */
  read?: (target: Buffer, offset: number, length: number, position: number) => number;
}

/** 2000-01-01T00:00:00Z: the one mtime every entry carries (not 0, which some tools read as "unset"). */
export const FIXED_MTIME_SECONDS = 946_684_800;
const BLOCK = 512;
const USTAR_NAME_MAX = 100;
const USTAR_SIZE_MAX = 0o77777777777;

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** The fields every header shares: uid/gid 0, the fixed mtime, blank checksum, the ustar magic. */
const HEADER_TEMPLATE = (() => {
  const block = Buffer.alloc(BLOCK);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(FIXED_MTIME_SECONDS, 12), 136);
  block.write('        ', 148);
  block.write('ustar\u000000', 257);
  return block;
})();

function header(fields: { name: string; mode: number; size: number; typeflag: string; linkname?: string }) {
  const block = Buffer.allocUnsafe(BLOCK);
  HEADER_TEMPLATE.copy(block);
  block.write(fields.name, 0, USTAR_NAME_MAX, 'utf8');
  block.write(octal(fields.mode, 8), 100);
  block.write(octal(fields.size, 12), 124);
  block.write(fields.typeflag, 156);
  if (fields.linkname) block.write(fields.linkname, 157, USTAR_NAME_MAX, 'utf8');
  // A plain loop: reduce with a callback was a tenth of the time of a tree of small files.
  let checksum = 0;
  for (let i = 0; i < BLOCK; i++) checksum += block[i] as number;
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

const ZEROS = Buffer.alloc(BLOCK * 2);

function padding(size: number): Buffer {
  return ZEROS.subarray(0, (BLOCK - (size % BLOCK)) % BLOCK);
}

/**
 * The size of the pieces the archive leaves in: one write downstream per 512 KiB, not one per header.
 * Not 1 MiB: a 1 MiB write of half-incompressible files filled zstd's 512 KiB output piece
 * (COMPRESSED_CHUNK) and waited halfway for the main thread, busy reading the next MiB, to collect it.
 * Measured alternating under `chrt -f 10`: a tree of 4 KiB files took 0.70 s in 512 KiB chunks, 0.72 s
 * in 256 KiB ones and 0.73 s in 1 MiB ones (docs/benchmarks.md, "Smaller chunks, reused"). The bytes of
 * the archive and of its compressed file do not depend on this size.
 */
export const ARCHIVE_CHUNK = 512 * 1024;

/** The batches' own chunk buffers, and those of them released by their consumer, ready to fill again. */
const OWN_CHUNKS = new WeakSet<ArrayBufferLike>();
const RELEASED: Buffer[] = [];
const RELEASED_MAX = 4;

function chunkBuffer(): Buffer {
  const buffer = RELEASED.pop() ?? Buffer.allocUnsafe(ARCHIVE_CHUNK);
  OWN_CHUNKS.add(buffer.buffer);
  return buffer;
}

/**
 * Gives a chunk of the archive back once its consumer is done with it (the compressor took it, no one
 * else holds it): the next chunk is filled into the same memory instead of a fresh buffer that must be
 * allocated, first touched and collected. Pieces that are not a batch's own (a large file's reads, the
 * end blocks) are ignored, and so is a second release of the same chunk.
 */
export function releaseChunk(chunk: Buffer): void {
  if (!OWN_CHUNKS.has(chunk.buffer) || RELEASED.length >= RELEASED_MAX) return;
  OWN_CHUNKS.delete(chunk.buffer);
  RELEASED.push(Buffer.from(chunk.buffer, 0, ARCHIVE_CHUNK));
}

/**
 * Gathers the archive's small pieces (headers, small files, padding) into ARCHIVE_CHUNK-sized buffers.
 * Every write into a zlib stream is a trip to the thread pool, and a small file is three pieces: batching
 * them is what keeps a tree of 4 KiB files near `tar | zstd` speed (docs/benchmarks.md). A piece of a
 * chunk's size or more (a large file's read) passes through without a copy.
 */
class Batch {
  private buffer = chunkBuffer();
  private used = 0;
  /** Filled chunks (and pieces passed through), in order, until the writer hands them on. */
  private readonly ready: Buffer[] = [];

  push(piece: Buffer): void {
    if (piece.length >= ARCHIVE_CHUNK) {
      this.flush();
      this.ready.push(piece);
      return;
    }
    let offset = 0;
    while (offset < piece.length) {
      const copied = piece.copy(this.buffer, this.used, offset);
      this.used += copied;
      offset += copied;
      if (this.used === ARCHIVE_CHUNK) this.flush();
    }
  }

  /** Up to `size` bytes from `read`, straight into the chunk; returns how many it gave (fewer: it ended). */
  fill(size: number, read: NonNullable<TarEntry['read']>): number {
    let done = 0;
    while (done < size) {
      const got = read(this.buffer, this.used, Math.min(size - done, ARCHIVE_CHUNK - this.used), done);
      if (got === 0) break;
      this.used += got;
      done += got;
      if (this.used === ARCHIVE_CHUNK) this.flush();
    }
    return done;
  }

  /**
   * Ends the chunk gathered so far and starts the next in a buffer given back by `releaseChunk`, or a new
   * one: a chunk is never written to again unless whoever consumed it released it.
   */
  flush(): void {
    if (this.used === 0) return;
    this.ready.push(this.buffer.subarray(0, this.used));
    this.buffer = chunkBuffer();
    this.used = 0;
  }

  /** The chunks ready to leave (none, mostly: one per ARCHIVE_CHUNK of archive). */
  take(): Buffer[] {
    return this.ready.length === 0 ? NO_CHUNKS : this.ready.splice(0);
  }
}

const NO_CHUNKS: Buffer[] = [];

/** One pax record: "<length> <key>=<value>\n", where length counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length += 1;
  return `${length}${body}`;
}

function fitsUstar(text: string): boolean {
  return Buffer.byteLength(text) < USTAR_NAME_MAX && /^[\x20-\x7e]*$/.test(text);
}

function entryHeaders(entry: TarEntry): Buffer[] {
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const size = entry.type === 'file' ? (entry.size ?? 0) : 0;
  const pax: string[] = [];
  if (!fitsUstar(name)) pax.push(paxRecord('path', name));
  if (entry.linkTarget !== undefined && !fitsUstar(entry.linkTarget))
    pax.push(paxRecord('linkpath', entry.linkTarget));
  if (size > USTAR_SIZE_MAX) pax.push(paxRecord('size', String(size)));
  const blocks: Buffer[] = [];
  if (pax.length > 0) {
    const body = Buffer.from(pax.join(''), 'utf8');
    blocks.push(header({ name: 'PaxHeader', mode: 0o644, size: body.length, typeflag: 'x' }));
    blocks.push(body, padding(body.length));
  }
  const mode =
    entry.type === 'symlink' ? 0o777 : entry.type === 'directory' || entry.executable ? 0o755 : 0o644;
  const typeflag = entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2';
  blocks.push(
    header({
      name: fitsUstar(name) ? name : name.slice(0, 99).replace(/[^\x20-\x7e]/g, '_'),
      mode,
      size: size > USTAR_SIZE_MAX ? 0 : size,
      typeflag,
      linkname:
        entry.linkTarget && fitsUstar(entry.linkTarget)
          ? entry.linkTarget
          : entry.linkTarget?.slice(0, 99).replace(/[^\x20-\x7e]/g, '_'),
    }),
  );
  return blocks;
}

export function checkEntryPath(path: string): void {
  const segments = path.split('/');
  if (path === '' || path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..'))
    throw new ArchiveError(`${quoted(path)} is not a plain relative archive path`);
  if (path.includes('\0')) throw new ArchiveError(`${quoted(path)} contains a NUL byte`);
}

type Entries = AsyncIterable<TarEntry> | Iterable<TarEntry>;

/** The archive bytes for `entries`, in the order given, ending with the two zero blocks. */
export async function* tarStream(entries: Entries): AsyncGenerator<Buffer> {
  yield* tarBody(entries);
  yield Buffer.from(ZEROS);
}

/** The entries' headers and contents, without the end-of-archive blocks. */
async function* tarBody(entries: Entries): AsyncGenerator<Buffer> {
  const batch = new Batch();
  // A synchronous source (the tree walk, manifests) is read in a plain loop: an entry with its bytes in
  // hand then costs no promise, and the loop pauses only where a chunk leaves or a large file streams.
  if (!(Symbol.asyncIterator in entries)) {
    for (const entry of entries) {
      entryStart(entry, batch);
      for (const chunk of batch.take()) yield chunk;
      if (streams(entry)) yield* streamedContent(entry, batch);
    }
  } else {
    for await (const entry of entries) {
      entryStart(entry, batch);
      for (const chunk of batch.take()) yield chunk;
      if (streams(entry)) yield* streamedContent(entry, batch);
    }
  }
  batch.flush();
  for (const chunk of batch.take()) yield chunk;
}

const streams = (entry: TarEntry) =>
  entry.type === 'file' && entry.data === undefined && entry.read === undefined;

/**
 * An entry's headers and, when its bytes come without waiting (`data`, `read`), those bytes and their
 * padding.
 */
function entryStart(entry: TarEntry, batch: Batch): void {
  checkEntryPath(entry.path);
  for (const block of entryHeaders(entry)) batch.push(block);
  if (entry.type !== 'file' || streams(entry)) return;
  const expected = entry.size ?? 0;
  let got: number;
  if (entry.data) {
    got = entry.data.length;
    if (got === expected) batch.push(entry.data);
  } else got = batch.fill(expected, entry.read as NonNullable<TarEntry['read']>);
  if (got !== expected) throw changedError(entry.path, expected, got);
  batch.push(padding(expected));
}

async function* streamedContent(entry: TarEntry, batch: Batch): AsyncGenerator<Buffer> {
  const expected = entry.size ?? 0;
  let written = 0;
  for await (const chunk of entry.content?.() ?? []) {
    written += chunk.length;
    if (written > expected) break;
    batch.push(chunk);
    for (const piece of batch.take()) yield piece;
  }
  if (written !== expected) throw changedError(entry.path, expected, written);
  batch.push(padding(expected));
}

function changedError(path: string, expected: number, read: number): ArchiveError {
  return new ArchiveError(
    `${path} changed while it was archived (${expected} bytes when listed, ${read > expected ? 'more' : read} when read): back up a quiescent directory or a snapshot`,
  );
}

/**
 * The archive with a marker as its last entry: the marker file holds the sha256 of every archive byte
 * before it, so it is a property of the content (same input, same marker, same archive) that a workload
 * reading the restored volume can echo back to prove it reads this state (validate).
 */
export async function* tarStreamWithMarker(
  entries: Entries,
  markerFile: string,
  onMarker: (marker: string) => void,
): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of tarBody(entries)) {
    hash.update(chunk);
    yield chunk;
  }
  const marker = hash.digest('hex');
  onMarker(marker);
  yield* tarStream([bufferEntry(markerFile, Buffer.from(`${marker}\n`))]);
}

/** A regular-file entry whose bytes are already in memory (manifests, the marker). */
export function bufferEntry(path: string, content: Buffer): TarEntry {
  return { path, type: 'file', size: content.length, data: content };
}
