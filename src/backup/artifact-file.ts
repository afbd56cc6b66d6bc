import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createZstdCompress } from 'node:zlib';
import { deadBufferCollector } from '../util/dead-buffers.js';

export interface ArtifactFile {
  file: string;
  /** Compressed bytes on disk: what is uploaded and what metadata.json declares. */
  bytes: number;
  sha256: string;
  /** Uncompressed archive bytes. */
  rawBytes: number;
}

/**
 * Memory settings, chosen by measurement (docs/benchmarks.md, "standby backup: three shapes" and
 * "Reading and compressing overlap"): 1 MiB of archive ahead of the compressor (2-4 MiB gave no
 * measurable speed) and 512 KiB compressed pieces. 256 KiB pieces cost a tree of 4 KiB files ~10% of
 * its time; pieces of 1 MiB + 64 KiB, room for a whole chunk's compressed bytes, saved that tree ~10%
 * more (zstd no longer stopped halfway through a chunk until the busy main thread collected its output)
 * but raised the peak RSS of a whole `standby backup` of 1 GiB of mixed files from 116 to 124 MiB, too
 * close to the 128 MiB goal. With a minor collection every 4 MiB of archive the peak RSS of a backup
 * stays under 128 MiB for small and mixed files; without it, read buffers already compressed stayed
 * resident until V8's own schedule (up to 151 MiB for 8 MiB files).
 */
export const ARCHIVE_AHEAD = 1024 * 1024;
export const COMPRESSED_CHUNK = 512 * 1024;
const COLLECT_EVERY = 4 * 1024 * 1024;

/**
 * The archive as the pipeline's readable end, ARCHIVE_AHEAD bytes ahead of the compressor, so reading
 * and hashing files overlaps zstd's work on the thread pool instead of taking turns with it. `seen` is
 * told each chunk's size.
 *
 * Each chunk is handed on before the source is asked for the next. A Readable asks its source for more
 * before it passes on the chunk it already holds, and the tree walk produces its next MiB synchronously
 * when asked: without the pause below, the compressor waited for that MiB to be read before it got the
 * previous one, and a tree of 4 KiB files spent its time alternating between the two (docs/benchmarks.md,
 * "Reading and compressing overlap"). The pause is one microtask, not a turn of the event loop: the last
 * chunks of the archive must reach the compressor in one turn, because zstd's bytes depend on whether
 * the last chunk is still queued when the stream ends (node:zlib then compresses it as the frame's end;
 * a turn of the event loop here gave a different .zst for the same tar in some runs).
 */
export function aheadOfCompressor(source: AsyncIterable<Buffer>, seen: (bytes: number) => void): Readable {
  const handedOn = async function* () {
    for await (const chunk of source) {
      seen(chunk.length);
      yield chunk;
      await undefined;
    }
  };
  return Readable.from(handedOn(), { objectMode: false, highWaterMark: ARCHIVE_AHEAD });
}

export interface CompressOptions {
  /** zstd level (1-19; 3 is zstd's default and a good speed/size balance for backups). */
  level: number;
  onProgress?: (rawBytes: number, bytes: number) => void;
}

/**
 * Compresses an archive stream with node:zlib's zstd into a file on disk, hashing the compressed bytes
 * as they are written: one pass, memory bounded by the stream buffers whatever the size. The frame
 * carries zstd's content checksum, so `zstd -d` on the runner also detects corruption. Single-threaded
 * zstd with fixed parameters is deterministic: the same archive gives the same bytes.
 */
export async function compressToFile(
  source: AsyncIterable<Buffer>,
  file: string,
  options: CompressOptions,
): Promise<ArtifactFile> {
  const hash = createHash('sha256');
  let rawBytes = 0;
  let bytes = 0;
  const streamed = deadBufferCollector(COLLECT_EVERY);
  const counted = (size: number) => {
    rawBytes += size;
    streamed(size);
  };
  const hashed = async function* (compressed: AsyncIterable<Buffer>) {
    for await (const chunk of compressed) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.(rawBytes, bytes);
      yield chunk;
    }
  };
  await pipeline(
    aheadOfCompressor(source, counted),
    createZstdCompress({
      // Larger output chunks than zlib's 16 KiB default: fewer round trips through the stream.
      chunkSize: COMPRESSED_CHUNK,
      params: { [constants.ZSTD_c_compressionLevel]: options.level, [constants.ZSTD_c_checksumFlag]: 1 },
    }),
    hashed,
    createWriteStream(file),
  );
  return { file, bytes, sha256: hash.digest('hex'), rawBytes };
}
