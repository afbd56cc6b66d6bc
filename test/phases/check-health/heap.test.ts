import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { heapHeld, withHeapBounded } from '../../../src/phases/check-health/heap.js';

/** The V8 flags check-health sets while probing (docs/benchmarks.md, "check-health: memory flat in N"). */
describe('check-health holds the heap small while probing', () => {
  it('uses flags this Node knows (V8 prints "unrecognized flag" for one it does not)', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--semi-space-growth-factor=1',
        '--heap-growing-percent=50',
        '-e',
        "const v8 = require('node:v8'); v8.setFlagsFromString('--semi-space-growth-factor=2'); v8.setFlagsFromString('--heap-growing-percent=0')",
      ],
      { encoding: 'utf8' },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('releases the heap only when the last of overlapping probes ends', async () => {
    // Grow the young generation past the cap: keep enough alive across scavenges that V8 enlarges it.
    const keep: number[][] = [];
    for (let i = 0; i < 4000; i++) keep.push(new Array(2000).fill(i));
    let releaseFirst: () => void = () => {};
    const first = withHeapBounded(() => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const heldDuringFirst = heapHeld();
    expect(heldDuringFirst).toBe(true);
    const second = withHeapBounded(async (checkpoint) => {
      checkpoint();
      return heapHeld();
    });
    expect(await second).toBe(heldDuringFirst);
    expect(heapHeld()).toBe(heldDuringFirst);
    releaseFirst();
    await first;
    expect(heapHeld()).toBe(false);
    expect(keep.length).toBe(4000);
  });
});
