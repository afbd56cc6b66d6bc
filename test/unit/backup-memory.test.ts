import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from '@jest/globals';
import { COMPRESSED_CHUNK, compressToFile } from '../../src/backup/artifact-file.js';

const MIB = 1024 * 1024;

async function* pieces(count: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) yield randomBytes(MIB);
}

describe('standby backup memory (issue 24.3: peak RSS of the archive step)', () => {
  it('hands compressed bytes on in pieces of at most COMPRESSED_CHUNK, hashing exactly what it writes', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'standby-memory-')), 'a.tar.zst');
    const steps: number[] = [];
    let last = 0;
    const file = await compressToFile(pieces(6), out, {
      level: 3,
      onProgress: (_raw, bytes) => {
        steps.push(bytes - last);
        last = bytes;
      },
    });
    // Random bytes do not compress: ~6 MiB out, which 1 MiB pieces (before) carried in six steps.
    expect(file.bytes).toBeGreaterThan(6 * MIB);
    expect(Math.max(...steps)).toBeLessThanOrEqual(COMPRESSED_CHUNK);
    expect(file.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
  });

  it('runs a minor collection for every 4 MiB of archive, freeing read buffers already compressed', async () => {
    const minor: number[] = [];
    const collectMinor = (entries: PerformanceEntry[]) => {
      for (const entry of entries)
        if (
          (entry as unknown as { detail: { kind: number } }).detail.kind ===
          constants.NODE_PERFORMANCE_GC_MINOR
        )
          minor.push(entry.startTime);
    };
    const observer = new PerformanceObserver((list) => collectMinor(list.getEntries()));
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'standby-memory-')), 'b.tar.zst');
    // 80 small pieces, 40 MiB (ten collections due): V8 on its own schedules no minor collection for so
    // few objects. The margin of two covers a last entry the observer has not delivered yet.
    async function* few() {
      const piece = Buffer.alloc(512 * 1024, 7);
      for (let i = 0; i < 80; i++) yield piece;
    }
    observer.observe({ entryTypes: ['gc'] });
    await compressToFile(few(), out, { level: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    collectMinor(observer.takeRecords());
    observer.disconnect();
    expect(minor.length).toBeGreaterThanOrEqual(8);
  });
});
