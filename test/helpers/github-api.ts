import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the GitHub REST API. Each route answers with a scripted sequence of
 * responses (the last one repeats), shaped like the examples in GitHub's REST documentation.
 */
export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * More pages follow: answer with GitHub's `link: <…&page=N+1>; rel="next"` header, built from the
   * request's own URL (GitHub's "Using pagination in the REST API").
   */
  nextPage?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export async function startGitHubStandIn(routes: Record<string, ScriptedResponse[]>) {
  const requests: RecordedRequest[] = [];
  const served = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      requests.push({ method, url, headers: req.headers, body });
      const key = `${method} ${url.split('?')[0]}`;
      const script = routes[key];
      if (!script) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
            status: '404',
          }),
        );
        return;
      }
      const index = served.get(key) ?? 0;
      served.set(key, index + 1);
      const answer = script[Math.min(index, script.length - 1)] as ScriptedResponse;
      const link = answer.nextPage ? { link: nextLink(`http://${req.headers.host}${url}`) } : {};
      res.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        ...link,
        ...answer.headers,
      });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Response bodies modelled on docs.github.com (actions/workflow-runs#get-the-review-history-for-a-workflow-run). */
function nextLink(requested: string): string {
  const next = new URL(requested);
  next.searchParams.set('page', String(Number(next.searchParams.get('page') ?? '1') + 1));
  return `<${next}>; rel="next"`;
}

export const octocat = {
  login: 'octocat',
  id: 1,
  node_id: 'MDQ6VXNlcjE=',
  type: 'User',
  site_admin: false,
  html_url: 'https://github.com/octocat',
};

export function environment(name: string, id = 161088068) {
  return {
    id,
    node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
    name,
    url: `https://api.github.com/repos/octo-org/octo-repo/environments/${name}`,
    html_url: `https://github.com/octo-org/octo-repo/deployments/activity_log?environments_filter=${name}`,
    created_at: '2020-11-23T22:00:40Z',
    updated_at: '2020-11-23T22:00:40Z',
  };
}

export function approval(
  state: 'approved' | 'rejected',
  comment: string,
  env = 'dr-promotion',
  user = octocat,
) {
  return { state, comment, environments: [environment(env)], user };
}

export function pendingDeployment(env = 'dr-promotion') {
  return {
    environment: {
      id: 161088068,
      node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
      name: env,
      url: 'https://api.github.com/…',
      html_url: 'https://github.com/…',
    },
    wait_timer: 30,
    wait_timer_started_at: '2020-11-23T22:00:40Z',
    current_user_can_approve: true,
    reviewers: [{ type: 'User', reviewer: octocat }],
  };
}

export const forbidden = {
  status: 403,
  body: {
    message: 'Resource not accessible by integration',
    documentation_url: 'https://docs.github.com/rest/actions/workflow-runs',
    status: '403',
  },
};

export const notFound = {
  status: 404,
  body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
};

/** Primary rate limit exhausted: 403 with x-ratelimit-remaining 0 and a reset time (epoch seconds). */
export function primaryRateLimited(resetEpochSeconds: number) {
  return {
    status: 403,
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-reset': String(resetEpochSeconds),
      'x-ratelimit-resource': 'core',
    },
    body: {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      status: '403',
    },
  };
}

/** Secondary rate limit: 429 (or 403) with retry-after seconds. */
export function secondaryRateLimited(retryAfterSeconds: number) {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '429',
    },
  };
}
