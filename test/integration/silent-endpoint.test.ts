import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients, clientConfig } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { checkHealth } from '../../src/phases/check-health/index.js';
import { runPhase } from '../../src/phases/run-phase.js';

/**
 * The bad day where an endpoint (a proxy, a VPC endpoint, a half-dead emulator) accepts the connection
 * and never answers. Before, the SDK's requestTimeout only logged a warning and a phase waited until the
 * job's own timeout (15 minutes measured by hand against such a server); now the connection's idle limit
 * fails the request, the retry mode retries it, and the phase fails with a message that says so.
 */
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const servers: (Server | HttpServer)[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server | HttpServer): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Accepts, reads every byte it is sent, and never writes one. */
const silentServer = () =>
  createServer((socket) => {
    sockets.push(socket);
    socket.on('data', () => undefined);
  });

describe('an endpoint that accepts and never answers', () => {
  it('fails the phase within its idle limits and retries, not after the job timeout', async () => {
    const endpoint = await listen(silentServer());
    const aws = new AwsClients({ endpoint, credentials, idleTimeoutMs: 300, maxAttempts: 2 });
    const io = new MemoryIO({
      'execution-id': 'silent-1',
      'receipt-bucket': 'receipts',
      'publish-bucket': 'publisher',
      providers: 'acme/daily',
    });
    const started = Date.now();
    const { result } = await runPhase(checkHealth, io, { aws });
    expect(result.status).toBe('failed');
    expect(io.failure).toMatch(/timed out after 300 ms of inactivity/);
    // Two attempts of 300 ms plus the retry mode's backoff: seconds, whatever the machine's load.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('the default idle limit is 30 s of silence, and no total deadline that only warns', () => {
    const { requestHandler } = clientConfig();
    expect(requestHandler).toEqual({ connectionTimeout: 5_000, socketTimeout: 30_000 });
  });
});

describe('a slow transfer that keeps moving', () => {
  it('is not cut off: the limit is on silence, not on the whole transfer', async () => {
    // 12 chunks 250 ms apart: 3 s in all, twice the idle limit, never more than 250 ms silent (the limit
    // leaves a loaded machine's event-loop stalls a second and more of room).
    const endpoint = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '12' });
        let sent = 0;
        const tick = setInterval(() => {
          response.write('x');
          if (++sent === 12) {
            clearInterval(tick);
            response.end();
          }
        }, 250);
      }),
    );
    const s3 = new S3Client({
      ...clientConfig({ endpoint, credentials, idleTimeoutMs: 1_500, maxAttempts: 1 }),
      forcePathStyle: true,
    });
    const started = Date.now();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'slow', Key: 'artifact' }));
    expect(await got.Body?.transformToString()).toBe('x'.repeat(12));
    expect(Date.now() - started).toBeGreaterThan(1_500);
  });
});
