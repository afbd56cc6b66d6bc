import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createZstdCompress } from 'node:zlib';

export interface ArtifactFile {
  file: string;
  /** Compressed bytes on disk: what is uploaded and what metadata.json declares. */
  bytes: number;
  sha256: string;
  /** Uncompressed archive bytes. */
  rawBytes: number;
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
  const counted = async function* () {
    for await (const chunk of source) {
      rawBytes += chunk.length;
      yield chunk;
    }
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
    // Up to 4 MiB of archive ahead of the compressor, so reading and hashing files overlaps zstd's work
    // on the thread pool instead of taking turns with it.
    Readable.from(counted(), { objectMode: false, highWaterMark: 4 * 1024 * 1024 }),
    createZstdCompress({
      // 1 MiB output chunks instead of zlib's 16 KiB default: fewer round trips through the stream.
      chunkSize: 1024 * 1024,
      params: { [constants.ZSTD_c_compressionLevel]: options.level, [constants.ZSTD_c_checksumFlag]: 1 },
    }),
    hashed,
    createWriteStream(file),
  );
  return { file, bytes, sha256: hash.digest('hex'), rawBytes };
}
