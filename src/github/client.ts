import { describeError } from '../util/errors.js';
import { GitHubApiError, hintFor } from './errors.js';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retry-policy.js';

export interface GitHubClientOptions {
  /** Sent as a bearer token; never logged, never part of an error. */
  token: string;
  /** https://api.github.com, or GHES' https://<host>/api/v3 (GITHUB_API_URL in Actions). */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** The clock rate-limit resets are measured against (x-ratelimit-reset is an epoch time). */
  now?: () => number;
  /** Told about each retry (status and wait) so long waits are visible in the log. */
  onRetry?: (message: string) => void;
}

const API_VERSION = '2022-11-28';

/** A minimal GitHub REST client: JSON in and out, retries on 5xx and rate limits, clear errors. */
export class GitHubClient {
  readonly baseUrl: string;
  readonly #token: string;
  readonly #policy: RetryPolicy;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #onRetry?: (message: string) => void;

  constructor(options: GitHubClientOptions) {
    this.baseUrl = (options.baseUrl || 'https://api.github.com').replace(/\/+$/, '');
    this.#token = options.token;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#onRetry = options.onRetry;
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(`${this.baseUrl}${path}`, {
          method,
          headers: this.#headers(body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        // Network errors and timeouts are transient like a 5xx: back off and try again.
        if (attempt >= this.#policy.maxAttempts) {
          throw new Error(
            `GitHub API ${method} ${path} unreachable after ${attempt} attempts: ${describeError(error)}`,
          );
        }
        await this.#wait(
          this.#policy.baseDelayMs * 2 ** (attempt - 1),
          `network error (${describeError(error)})`,
        );
        continue;
      }
      if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;

      const decision = decideRetry(
        response.status,
        response.headers,
        attempt,
        this.#policy,
        new Date(this.#now()),
      );
      const apiMessage = await readMessage(response);
      if (!decision.retry) {
        throw new GitHubApiError(
          response.status,
          method,
          path,
          apiMessage,
          hintFor(response.status, decision.rateLimited),
        );
      }
      await this.#wait(decision.delayMs, `${response.status}${decision.rateLimited ? ' rate limited' : ''}`);
    }
  }

  #headers(hasBody: boolean): Record<string, string> {
    return {
      accept: 'application/vnd.github+json',
      'x-github-api-version': API_VERSION,
      'user-agent': 'standby-dr',
      ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    };
  }

  async #wait(ms: number, why: string): Promise<void> {
    this.#onRetry?.(`GitHub API: ${why}; retrying in ${Math.round(ms / 100) / 10}s`);
    await this.#sleep(ms);
  }
}

async function readMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}
