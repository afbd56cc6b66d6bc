import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from '@jest/globals';
import { deadBufferCollector } from '../../src/util/dead-buffers.js';

/** The garbage collections V8 reports while `work` runs, by kind (perf_hooks 'gc' entries). */
async function collectionsDuring(work: () => void): Promise<number[]> {
  const kinds: number[] = [];
  const record = (entries: PerformanceEntry[]) => {
    for (const entry of entries) kinds.push((entry as unknown as { detail: { kind: number } }).detail.kind);
  };
  const observer = new PerformanceObserver((list) => record(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  work();
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Entries not yet delivered to the callback (a loaded machine) are still the observer's to take.
  record(observer.takeRecords());
  observer.disconnect();
  return kinds;
}

describe('deadBufferCollector', () => {
  it('runs a minor collection once every `everyBytes` streamed, and not before', async () => {
    const minor = (kinds: number[]) =>
      kinds.filter((kind) => kind === constants.NODE_PERFORMANCE_GC_MINOR).length;
    // 50 chunks that never reach the threshold: only V8's own collections, if any.
    const below = deadBufferCollector(4096);
    const quiet = minor(await collectionsDuring(() => Array.from({ length: 50 }, () => below(1))));
    // 50 chunks that each reach it: one collection each (a margin of five for an entry V8 reports late,
    // seen once under CI load: 49; without the collector there are none).
    const each = deadBufferCollector(4096, 1_000); // minor ones only here
    const busy = minor(await collectionsDuring(() => Array.from({ length: 50 }, () => each(4096))));
    expect(busy).toBeGreaterThanOrEqual(45);
    expect(quiet).toBeLessThan(10);
  });

  it('makes every `majorEvery`-th collection a major one (chunks that reached the old generation)', async () => {
    const kinds = await collectionsDuring(() => {
      const streamed = deadBufferCollector(4096, 4);
      for (let i = 0; i < 8; i++) streamed(4096);
    });
    // Two due (the 4th and 8th); started incrementally, the second may join the first's marking.
    expect(
      kinds.filter((kind) => kind === constants.NODE_PERFORMANCE_GC_MAJOR).length,
    ).toBeGreaterThanOrEqual(1);
    expect(
      kinds.filter((kind) => kind === constants.NODE_PERFORMANCE_GC_MINOR).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('leaves no global gc behind (the flag is turned off again)', () => {
    deadBufferCollector(1)(1);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
