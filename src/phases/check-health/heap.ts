import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * check-health's memory, flat in the number of pairs (issue 15). Every S3 request through the SDK allocates
 * about 230 KB of short-lived garbage (middleware chain, SigV4 signing, endpoint resolution, response
 * parsing and log filtering: `BENCH_ALLOC=1` in bench/check-health.ts shows where), and a run makes 2N+1 of
 * them, while the heap retains only ~13 MiB. With V8's defaults the garbage is not the problem, the heap's
 * growth is: V8 doubles the young generation whenever enough objects survived scavenges (in-flight requests
 * do), up to 128 MiB on Node 24, and lets the old generation grow to about four times the live heap before
 * a full collection; neither is given back. Peak RSS grew 135 MiB from 200 to 5000 pairs.
 *
 * While probing, the heap is held small instead: the young generation may grow to YOUNG_GENERATION_CAP_MIB
 * (a process that has loaded the SDK is already there), then stops (`--semi-space-growth-factor=1`), and the
 * old generation's limit is the live heap plus half (`--heap-growing-percent=50`). Both flags are numbers V8
 * reads at each sizing decision, so setting them at run time takes effect (measured in docs/benchmarks.md;
 * flags that switch GC threads on or off are another matter: flipping those at run time crashed V8 in our
 * trials, so none is touched). Scavenges get more frequent but stay cheap, because almost nothing survives
 * them. The cap is 8 MiB because with 16 the peak was 24 MiB higher in about one run in three: native
 * memory outside the V8 heap (likely the GC worker threads' malloc arenas: `--single-threaded-gc` or
 * MALLOC_ARENA_MAX=2, which a phase cannot set, removed it too).
 * The defaults (`node --v8-options`: growth factor 2, growing percent 0 = V8's own heuristic) come back when
 * the last probe in the process ends.
 */
const YOUNG_GENERATION_CAP_MIB = 8;
const HELD_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=50'];
const DEFAULT_FLAGS = ['--semi-space-growth-factor=2', '--heap-growing-percent=0'];

let running = 0;
let held = false;

/** Called now and then while probing: holds the heap once the young generation has reached its cap. */
function checkpoint(): void {
  if (held) return;
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (young && young.space_size >= YOUNG_GENERATION_CAP_MIB * 1024 * 1024) {
    for (const flag of HELD_FLAGS) setFlagsFromString(flag);
    held = true;
  }
}

export async function withHeapBounded<T>(work: (checkpoint: () => void) => Promise<T>): Promise<T> {
  running++;
  checkpoint();
  try {
    return await work(checkpoint);
  } finally {
    if (--running === 0 && held) {
      for (const flag of DEFAULT_FLAGS) setFlagsFromString(flag);
      held = false;
    }
  }
}

/** For tests: whether the heap is held right now. */
export const heapHeld = (): boolean => held;
