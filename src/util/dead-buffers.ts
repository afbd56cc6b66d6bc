import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps a long stream's memory flat. Every chunk a socket, a file or zlib hands over is a new Buffer whose
 * bytes live outside V8's heap; V8 schedules a collection for them only once such external memory has
 * grown by tens of MiB, so a 1 GiB stream of 64 KiB chunks kept 70-100 MiB of dead buffers resident
 * (measured: Node 24 hashing a 1 GiB object streamed from the emulator through the S3 client peaked at
 * 159-163 MiB RSS; with a young-generation collection every 4 MiB, 92-94 MiB, in the same time; the whole
 * restore-precheck process: docs/benchmarks.md, "Backup integrity"). The backup's compression path uses
 * it too: without it a tree of 8 MiB files peaked at 140-151 MiB, with it at 97-109 MiB
 * (docs/benchmarks.md, "standby backup: three shapes").
 *
 * Returns `streamed(bytes)`, to call with each chunk's size: after every `everyBytes` it runs a minor
 * (scavenge) collection, which frees the chunks already consumed and takes well under a millisecond.
 * A chunk that lived through two of them (queued ahead of zstd, or waiting in a socket's queue) has moved
 * to the old generation, which only a major collection frees; so every `majorEvery`-th collection is a
 * major one, started incrementally (`execution: 'async'`: V8 marks in steps between tasks). Without it a
 * whole `standby backup` of the 1 GiB mixed tree crept to 132-138 MiB; with it, 108-116 MiB
 * (docs/benchmarks.md, "The whole standby backup process").
 */
export function deadBufferCollector(everyBytes = 4 * 1024 * 1024, majorEvery = 16): (bytes: number) => void {
  const collect = exposedGc();
  let since = 0;
  let collections = 0;
  return (bytes) => {
    since += bytes;
    if (since < everyBytes) return;
    since = 0;
    collections++;
    collect?.(collections % majorEvery === 0 ? MAJOR : MINOR);
  };
}

const MINOR = { type: 'minor', execution: 'sync' } as const;
const MAJOR = { type: 'major', execution: 'async' } as const;

type Gc = (options: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void;
let gc: Gc | null | undefined;

/**
 * V8's gc(), obtained at run time the way jest-leak-detector does (an action cannot pass node flags):
 * `--expose-gc` set through v8.setFlagsFromString installs gc() in a context created after it, taken
 * from a fresh vm context, and the flag is turned off again so no other code sees a global gc. Node
 * documents that flags set after start-up "may simply do nothing" (nodejs.org/api/v8.html): then this is
 * a no-op and memory behaves as it would without it.
 */
function exposedGc(): Gc | null {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const exposed = runInNewContext('gc') as unknown;
      gc = typeof exposed === 'function' ? (exposed as Gc) : null;
    } catch {
      gc = null;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  return gc;
}
