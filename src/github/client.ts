import type { getOctokit } from '@actions/github';
import { describeError } from '../util/errors.js';
import { GitHubApiError, hintFor } from './errors.js';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retry-policy.js';

export interface GitHubClientOptions {
  /** Sent as the token credential; never logged, never part of an error. */
  token: string;
  /**
   * https://api.github.com (or the loopback stand-in in tests; GHES is not supported). Absent: GITHUB_API_URL (the runner sets it),
   * else https://api.github.com, as @actions/github decides.
   */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  /** Replaces @actions/github's fetch (which honours the runner's proxy settings). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** The clock rate-limit resets are measured against (x-ratelimit-reset is an epoch time). */
  now?: () => number;
  /** Told about each retry (status and wait) so long waits are visible in the log. */
  onRetry?: (message: string) => void;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

type Octokit = ReturnType<typeof getOctokit>;

/** What Octokit's request hook is handed: the endpoint options, before the URL is expanded. */
interface HookedRequest {
  method: string;
  url: string;
  request?: Record<string, unknown>;
}

const API_VERSION = '2022-11-28';

/**
 * GitHub's REST API through @actions/github's Octokit (getOctokit): JSON in and out, pagination by
 * octokit.paginate, and one retry policy (src/github/retry-policy.ts) wrapped around every request
 * Octokit sends, pages included, waiting with an injectable sleep. Errors carry what to fix. Octokit is
 * loaded at the first request, not with the client: a phase that makes no GitHub call never loads it.
 */
export class GitHubClient {
  /** Where requests go: the baseUrl given, else GITHUB_API_URL, else https://api.github.com (as @actions/github decides). */
  readonly baseUrl: string;
  readonly #options: GitHubClientOptions;
  #octokit?: Promise<Octokit>;
  readonly #policy: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #onRetry?: (message: string) => void;

  constructor(options: GitHubClientOptions) {
    this.#options = options;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#onRetry = options.onRetry;
    this.baseUrl = options.baseUrl
      ? options.baseUrl.replace(/\/+$/, '')
      : process.env.GITHUB_API_URL || 'https://api.github.com';
  }

  /** The Octokit every request goes through, made (and @actions/github loaded) on first use. */
  #client(): Promise<Octokit> {
    this.#octokit ??= import('@actions/github').then(({ getOctokit }) => {
      const options = this.#options;
      const octokit = getOctokit(options.token, {
        ...(options.baseUrl ? { baseUrl: this.baseUrl } : {}),
        userAgent: 'standby-dr',
        ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
      });
      octokit.hook.wrap('request', (send, request) =>
        this.#withRetries(async (sent) => send(sent as typeof request), request),
      );
      return octokit;
    });
    return this.#octokit;
  }

  /** One call: `path` is relative to the API (query string included); resolves to the JSON body. */
  async request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const octokit = await this.#client();
    const response = await octokit.request({
      method,
      url: path,
      headers: HEADERS,
      ...(body === undefined ? {} : { data: body }),
    });
    // Octokit gives '' for an empty answer; callers of a 204 (cancel, review) expect nothing.
    return (response.status === 204 ? undefined : response.data) as T;
  }

  /**
   * Every item of a paginated list, following GitHub's Link headers. List responses wrapped in an object
   * (`{ total_count, jobs }`) come back as the items themselves, as octokit.paginate normalises them.
   */
  async paginate<T>(path: string, parameters: Record<string, string | number> = {}): Promise<T[]> {
    const octokit = await this.#client();
    return (await octokit.paginate(`GET ${path}`, { ...parameters, headers: HEADERS })) as T[];
  }

  async #withRetries<R>(send: (options: HookedRequest) => Promise<R>, request: HookedRequest): Promise<R> {
    const method = request.method;
    const path = request.url.startsWith(this.baseUrl) ? request.url.slice(this.baseUrl.length) : request.url;
    for (let attempt = 1; ; attempt++) {
      try {
        return await send({
          ...request,
          request: { ...request.request, signal: AbortSignal.timeout(this.#timeoutMs) },
        });
      } catch (error) {
        const failure = error as { status?: number; response?: { headers: object; data?: unknown } };
        if (!failure.response) {
          // No answer (network error, timeout): transient like a 5xx, so back off and try again.
          if (attempt >= this.#policy.maxAttempts) {
            throw new Error(
              `GitHub API ${method} ${path} unreachable after ${attempt} attempts: ${unwrap(error)}`,
            );
          }
          await this.#wait(this.#policy.baseDelayMs * 2 ** (attempt - 1), `network error (${unwrap(error)})`);
          continue;
        }
        const status = failure.status ?? 0;
        const headers = new Headers(failure.response.headers as Record<string, string>);
        const decision = decideRetry(status, headers, attempt, this.#policy, new Date(this.#now()));
        if (!decision.retry) {
          throw new GitHubApiError(
            status,
            method,
            path,
            apiMessage(failure.response.data),
            hintFor(status, decision.rateLimited),
          );
        }
        await this.#wait(decision.delayMs, `${status}${decision.rateLimited ? ' rate limited' : ''}`);
      }
    }
  }

  async #wait(ms: number, why: string): Promise<void> {
    this.#onRetry?.(`GitHub API: ${why}; retrying in ${Math.round(ms / 100) / 10}s`);
    await this.#sleep(ms);
  }
}

const HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION };

function apiMessage(data: unknown): string {
  const message = (data as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : '';
}

/** Octokit wraps fetch's own error ("fetch failed") around the cause worth reading (ECONNREFUSED...). */
function unwrap(error: unknown): string {
  const cause = (error as { cause?: { cause?: unknown } }).cause;
  return describeError(cause?.cause ?? cause ?? error);
}
