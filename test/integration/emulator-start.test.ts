import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, startEmulator } from '../../src/emulator/moto.js';

/** Something else on the port moto was about to take, answering like an emulator would. */
let impostor: Server;
let takenPort: number;

beforeAll(async () => {
  takenPort = await freePort();
  impostor = createServer((_request, response) => response.writeHead(200).end('{}'));
  await new Promise<void>((resolve) => impostor.listen(takenPort, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => impostor.close(resolve));
});

describe('startEmulator when the picked port is taken between the pick and the bind', () => {
  it('does not mistake another server for its own moto, and starts on the next port', async () => {
    const picks = [takenPort];
    const emulator = await startEmulator({ pickPort: async () => picks.shift() ?? freePort() });
    try {
      expect(emulator.endpoint).not.toBe(`http://127.0.0.1:${takenPort}`);
      const answer = await fetch(`${emulator.endpoint}/moto-api/`);
      expect(answer.ok).toBe(true);
      await emulator.reset();
    } finally {
      await emulator.stop();
    }
  });
});
