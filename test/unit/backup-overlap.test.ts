import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from '@jest/globals';
import { ARCHIVE_AHEAD, aheadOfCompressor } from '../../src/backup/artifact-file.js';

describe('the archive ahead of the compressor (issue 24.1: small files)', () => {
  it('hands each chunk to the compressor before asking the source for the next one', async () => {
    const events: string[] = [];
    // Like the tree walk: the next chunk is produced synchronously when the source is asked for it.
    function* produced() {
      for (let i = 0; i < 6; i++) {
        events.push(`produce ${i}`);
        yield Buffer.alloc(ARCHIVE_AHEAD, i);
      }
    }
    async function* source() {
      yield* produced();
    }
    // Like zstd: takes a chunk, finishes it later (on the thread pool).
    const compressor = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        events.push(`compress ${chunk[0]}`);
        setImmediate(done);
      },
    });
    const seen: number[] = [];
    await pipeline(
      aheadOfCompressor(source(), (bytes) => seen.push(bytes)),
      compressor,
    );
    expect(seen).toEqual(Array(6).fill(ARCHIVE_AHEAD));
    // Chunk i is with the compressor before chunk i + 1 is read, so reading overlaps compressing.
    for (let i = 0; i < 5; i++)
      expect(events.indexOf(`compress ${i}`)).toBeLessThan(events.indexOf(`produce ${i + 1}`));
  });
});
