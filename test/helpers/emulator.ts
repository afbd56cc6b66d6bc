import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { type Emulator, emulatorEnv, startEmulator } from '../../src/emulator/moto.js';

/**
 * One moto server per test file, on its own loopback port, reset before every test. The SDK finds it
 * through AWS_ENDPOINT_URL, exactly as it would a real endpoint override.
 */
export function useEmulator(): { readonly endpoint: string; emulator(): Emulator } {
  let emulator: Emulator | undefined;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    emulator = await startEmulator();
    for (const [key, value] of Object.entries(emulatorEnv(emulator.endpoint))) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  beforeEach(async () => {
    await emulator?.reset();
  });
  afterAll(async () => {
    await emulator?.stop();
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

/** moto's fixed account id. */
export const EMULATOR_ACCOUNT = '123456789012';
