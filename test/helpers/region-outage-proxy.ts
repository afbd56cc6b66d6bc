import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

/** Which requests an outage hits: by the SigV4 credential scope every signed AWS request carries. */
export interface Outage {
  /** e.g. us-west-2: every service in that region. */
  region?: string;
  /** SigV4 service name, e.g. s3, monitoring (CloudWatch), ec2. */
  service?: string;
  /** 503 with an AWS-shaped error body (default), or the connection cut without an answer. */
  mode?: 'unavailable' | 'reset';
}

/** Region and service from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261128/us-west-2/s3/aws4_request, ...`. */
export function credentialScope(authorization: string | undefined): { region?: string; service?: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return { region: match?.[1], service: match?.[2] };
}

/**
 * A loopback proxy in front of the emulator that plays a regional incident: requests signed for the
 * failing region (and/or service) are answered 503 or cut; everything else reaches the emulator. moto
 * serves every region from one endpoint, so the signature's scope is the only place the region shows.
 */
export async function startRegionOutageProxy(target: string, outages: Outage[]) {
  const hits: { region?: string; service?: string; method: string; url: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const scope = credentialScope(req.headers.authorization);
    const outage = outages.find(
      (o) =>
        (o.region === undefined || o.region === scope.region) &&
        (o.service === undefined || o.service === scope.service),
    );
    if (outage) {
      hits.push({ ...scope, method: req.method ?? 'GET', url: req.url ?? '/' });
      req.resume();
      if (outage.mode === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(503, { 'content-type': 'application/xml', 'x-amz-request-id': 'outage' });
      res.end(
        req.method === 'HEAD'
          ? ''
          : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>regional outage (injected by the test proxy)</Message></Error>',
      );
      return;
    }
    const upstream = new URL(target);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
