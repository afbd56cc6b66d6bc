import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

export interface Fault {
  /** Which requests to hit: method and path (with query) as the SDK sends them. */
  match(req: { method: string; url: string }): boolean;
  status: number;
  /** S3-style XML error code, e.g. AccessDenied, SlowDown. */
  code: string;
  /** The error's <Message> (default: "<code> (injected by the test proxy)"); XML-escaped here. */
  message?: string;
  /** A literal body sent with `status` instead of an S3 error document (e.g. an empty listing page). */
  body?: string;
  /** How many matching requests fail before the rest pass through; Infinity for all. */
  times?: number;
  /**
   * `reset-after-forward`: forward the request, let the emulator answer, then cut the client's connection
   * without passing the answer on: the write happened, the response was lost (status and code unused).
   */
  action?: 'respond' | 'reset-after-forward';
}

/** The service a SigV4 request is signed for (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
function signedService(req: IncomingMessage): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '')?.[1];
}

const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A loopback HTTP proxy in front of the emulator that answers chosen requests with real AWS-shaped
 * errors (403 AccessDenied, 503 SlowDown, ...) and forwards everything else, optionally after a delay. Lets tests exercise
 * denied access and retries over the real wire protocol, which moto alone cannot produce.
 */
export async function startFaultProxy(target: string, faults: Fault[], options: { delayMs?: number } = {}) {
  const counts = new Map<Fault, number>();
  const seen: { method: string; url: string; status: number; service?: string }[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    // Optional fixed latency per request: models a network round trip the loopback emulator lacks.
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const info = { method: req.method ?? 'GET', url: req.url ?? '/', service: signedService(req) };
    const fault = faults.find(
      (f) => f.match(info) && (counts.get(f) ?? 0) < (f.times ?? Number.POSITIVE_INFINITY),
    );
    if (fault?.action === 'reset-after-forward') {
      counts.set(fault, (counts.get(fault) ?? 0) + 1);
      forward(req, info, (answer) => {
        seen.push({ ...info, status: 0 }); // 0: no answer reached the client
        answer.resume();
        answer.on('end', () => req.socket.destroy());
      }).on('error', () => req.socket.destroy());
      return;
    }
    if (fault) {
      counts.set(fault, (counts.get(fault) ?? 0) + 1);
      seen.push({ ...info, status: fault.status });
      req.resume();
      const body =
        info.method === 'HEAD'
          ? ''
          : fault.body !== undefined
            ? fault.body
            : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>${xmlEscape(fault.message ?? `${fault.code} (injected by the test proxy)`)}</Message><RequestId>test</RequestId></Error>`;
      res.writeHead(fault.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'test' });
      res.end(body);
      return;
    }
    forward(req, info, (answer) => {
      seen.push({ ...info, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    }).on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  function forward(req: IncomingMessage, info: { url: string }, onAnswer: (answer: IncomingMessage) => void) {
    const upstream = new URL(target);
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: info.url,
        headers: req.headers,
      },
      onAnswer,
    );
    req.pipe(outgoing);
    return outgoing;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs `work` with the SDK pointed at a fault proxy in front of `target` (AWS_ENDPOINT_URL, as every
 * client built by AwsClients reads it), then restores the endpoint and closes the proxy.
 */
export async function throughFaultProxy<T>(
  target: string,
  faults: Fault[],
  work: (proxy: Awaited<ReturnType<typeof startFaultProxy>>) => Promise<T>,
): Promise<T> {
  const proxy = await startFaultProxy(target, faults);
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  try {
    return await work(proxy);
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
    await proxy.close();
  }
}

/** S3 answering 500 InternalError (after every SDK retry) to requests of `method` whose path holds `part`. */
export const s3Storm = (method: string, part: string): Fault => ({
  match: (r) => r.method === method && r.url.includes(part),
  status: 500,
  code: 'InternalError',
  message: 'We encountered an internal error. Please try again.',
});
