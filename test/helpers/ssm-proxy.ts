import { createServer, type IncomingMessage, request, type Server } from 'node:http';

export interface SsmAnswer {
  status: number;
  json: Record<string, unknown>;
}
/** Decides the answer to one SSM call; `forward` asks moto. Return undefined to pass moto's answer through. */
export type SsmHandler = (
  action: string,
  body: Record<string, unknown>,
  forward: () => Promise<SsmAnswer>,
) => Promise<SsmAnswer | undefined>;

/**
 * A loopback proxy in front of moto for the SSM JSON protocol (X-Amz-Target: AmazonSSM.<Action>); other
 * services pass through untouched. It is the seam the tests control for what moto cannot do:
 * moto's Run Command finishes with Success and EMPTY output (no script runs), and it has no
 * DescribeInstanceInformation, so tests supply the runner report and the agent's PingStatus here,
 * while the SDK, the transport code and moto's SendCommand/GetCommandInvocation stay real.
 */
export async function startSsmProxy(target: string, handler: SsmHandler) {
  const calls: string[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const amzTarget = String(req.headers['x-amz-target'] ?? '');
    const forward = () => send(target, req, raw);
    if (!amzTarget.startsWith('AmazonSSM.')) {
      const answer = await forward();
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(answer.text);
      return;
    }
    const action = amzTarget.slice('AmazonSSM.'.length);
    calls.push(action);
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const viaMoto = async (): Promise<SsmAnswer> => {
      const moto = await forward();
      return { status: moto.status, json: moto.text ? JSON.parse(moto.text) : {} };
    };
    const answer = (await handler(action, body, viaMoto)) ?? (await viaMoto());
    res
      .writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' })
      .end(JSON.stringify(answer.json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An AWS JSON-protocol error, the way SSM sends one. */
export function ssmError(type: string, message: string, status = 400): SsmAnswer {
  return { status, json: { __type: type, message } };
}

function send(target: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; text: string }> {
  const upstream = new URL(target);
  return new Promise((resolve, reject) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (part: Buffer) => parts.push(part));
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 502, text: Buffer.concat(parts).toString('utf8') }),
        );
      },
    );
    forward.on('error', reject);
    forward.end(body);
  });
}
