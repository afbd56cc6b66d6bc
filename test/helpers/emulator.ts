import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { type Emulator, emulatorEnv, startEmulator } from '../../src/emulator/moto.js';

/**
 * A moto server for a test file, reset before every test. The SDK finds it through AWS_ENDPOINT_URL,
 * exactly as it would a real endpoint override.
 *
 * By default the server is the Jest worker's own: started by the first file the worker runs and reused by
 * the next ones (a worker runs one file at a time, and every test starts from a reset), which saves a
 * moto start (about a second of CPU) per file. It dies with the worker (see src/emulator/moto-launcher.py, started by
 * src/emulator/moto.ts). A file that changes moto's runtime configuration asks for a `dedicated` server,
 * started and stopped with the file, so no setting outlives it.
 */
export function useEmulator(options: { dedicated?: boolean } = {}): {
  readonly endpoint: string;
  emulator(): Emulator;
} {
  let emulator: Emulator | undefined;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    emulator = options.dedicated ? await startEmulator() : await workerEmulator();
    for (const [key, value] of Object.entries(emulatorEnv(emulator.endpoint))) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  beforeEach(async () => {
    await emulator?.reset();
  });
  afterAll(async () => {
    if (options.dedicated) await emulator?.stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  return {
    get endpoint() {
      if (!emulator) throw new Error('emulator not started');
      return emulator.endpoint;
    },
    emulator() {
      if (!emulator) throw new Error('emulator not started');
      return emulator;
    },
  };
}

// Each test file gets a fresh module registry, so the worker's server is found through a file named by
// the worker's pid, and trusted only if that moto process is alive and is this worker's child.
const workerRecord = () => path.join(tmpdir(), `standby-jest-moto-${process.pid}.json`);

async function workerEmulator(): Promise<Emulator> {
  const known = runningWorkerEmulator();
  if (known) return known;
  const started = await startEmulator({ unref: true });
  writeFileSync(workerRecord(), JSON.stringify({ endpoint: started.endpoint, pid: started.pid }));
  return shared(started.endpoint, started.pid);
}

function runningWorkerEmulator(): Emulator | undefined {
  try {
    const { endpoint, pid } = JSON.parse(readFileSync(workerRecord(), 'utf8')) as {
      endpoint: string;
      pid: number;
    };
    const parent = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(parent) === process.pid ? shared(endpoint, pid) : undefined;
  } catch {
    return undefined;
  }
}

/** The worker's server as a file sees it: reset works, stopping is the worker's exit. */
function shared(endpoint: string, pid: number | undefined): Emulator {
  const post = async (route: string) => {
    const response = await fetch(`${endpoint}${route}`, { method: 'POST' });
    if (!response.ok) throw new Error(`emulator ${route} answered ${response.status}`);
  };
  return {
    endpoint,
    pid,
    reset: () => post('/moto-api/reset'),
    configure: () => {
      throw new Error(
        'this emulator is shared by the worker: useEmulator({ dedicated: true }) to configure it',
      );
    },
    stop: async () => undefined,
  };
}

/** moto's fixed account id. */
export const EMULATOR_ACCOUNT = '123456789012';
