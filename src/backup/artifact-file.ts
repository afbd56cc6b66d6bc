import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createZstdCompress } from 'node:zlib';
import { deadBufferCollector } from '../util/dead-buffers.js';
import { releaseChunk } from './tar-writer.js';

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
 * "Reading and compressing overlap"): one archive chunk (ARCHIVE_CHUNK, 512 KiB; 1 MiB until
 * "Smaller chunks, reused") queued behind the one zstd compresses (2-4 MiB ahead gave no measurable
 * speed) and 512 KiB compressed pieces. 256 KiB pieces cost a tree
 * of 4 KiB files ~10% of its time; pieces of 1 MiB + 64 KiB, room for a whole chunk's compressed bytes, saved that tree ~10%
 * more (zstd no longer stopped halfway through a chunk until the busy main thread collected its output)
 * but raised the peak RSS of a whole `standby backup` of 1 GiB of mixed files from 116 to 124 MiB, too
 * close to the 128 MiB goal. With a minor collection every 4 MiB of archive the peak RSS of a backup
 * stays under 128 MiB for small and mixed files; without it, read buffers already compressed stayed
 * resident until V8's own schedule (up to 151 MiB for 8 MiB files).
 */
export const COMPRESSED_CHUNK = 512 * 1024;
const COLLECT_EVERY = 4 * 1024 * 1024;

/**
 * Writes the archive into the compressor, at most one chunk queued behind the one it is compressing,
 * so reading and hashing files overlaps zstd's work on the thread pool instead of taking turns with it. `seen` is told each chunk's size; `output` is the pipeline behind the compressor (its
 * failure stops the feed). A chunk the compressor has taken is given back to the tar writer
 * (`releaseChunk`) to be filled again.
 *
 * Each chunk is handed on before the source is asked for the next one (the walk produces its next chunk
 * synchronously), so zstd starts on it while the walk reads on (docs/benchmarks.md, "Reading and
 * compressing overlap"). The stream ends only once every chunk written has been compressed: node:zlib's
 * zstd ends the frame with an extra empty frame when `end()` finds writes still queued
 * (nodejs/node#66078, open; seen on Node 24), so ending while writes were queued made the bytes of the
 * same archive depend on timing.
 */
export async function feedCompressor(
  source: AsyncIterable<Buffer>,
  compressor: Writable,
  output: Promise<unknown>,
  seen: (bytes: number) => void,
): Promise<void> {
  const queued: Promise<void>[] = [];
  for await (const chunk of source) {
    seen(chunk.length);
    queued.push(compressed(compressor, chunk));
    // The previous chunk compressed, or (the first chunk) one turn of the event loop for zstd to start.
    if (queued.length > 1) await Promise.race([queued.shift(), output]);
    else await new Promise(setImmediate);
  }
  await Promise.race([Promise.all(queued), output]);
  compressor.end();
}

/** Resolves once the compressor has taken the whole chunk; a failure also reaches the pipeline's promise. */
function compressed(compressor: Writable, chunk: Buffer): Promise<void> {
  const done = new Promise<void>((resolve, reject) =>
    compressor.write(chunk, (error) => {
      if (error) return reject(error);
      releaseChunk(chunk); // zstd has copied what it had not compressed yet: the batch may refill it
      resolve();
    }),
  );
  done.catch(() => undefined); // awaited by the feed, or superseded by the pipeline's own failure
  return done;
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
  const compressor = createZstdCompress({
    // Larger output chunks than zlib's 16 KiB default: fewer round trips through the stream.
    chunkSize: COMPRESSED_CHUNK,
    params: { [constants.ZSTD_c_compressionLevel]: options.level, [constants.ZSTD_c_checksumFlag]: 1 },
  });
  const output = pipeline(compressor, hashed, createWriteStream(file));
  try {
    await feedCompressor(source, compressor, output, counted);
  } catch (error) {
    // A file that could not be read: stop the compressor and the writes behind it, then report it.
    compressor.destroy(error as Error);
    await output.catch(() => undefined);
    throw error;
  }
  await output;
  return { file, bytes, sha256: hash.digest('hex'), rawBytes };
}
