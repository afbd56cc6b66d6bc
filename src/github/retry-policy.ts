/**
 * When to retry a GitHub API response, and after how long. Pure, so the rules are unit-tested:
 * 5xx → exponential backoff; 403/429 that is a rate limit (x-ratelimit-remaining: 0 or retry-after)
 * → wait as GitHub says (retry-after seconds, or until x-ratelimit-reset), capped; anything else → no retry.
 */
export interface RetryDecision {
  retry: boolean;
  delayMs: number;
  rateLimited: boolean;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** Never wait longer than this for one retry; a longer reset is reported instead of slept through. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

export function isRateLimited(status: number, headers: Headers): boolean {
  if (status !== 403 && status !== 429) return false;
  return headers.get('x-ratelimit-remaining') === '0' || headers.has('retry-after') || status === 429;
}

export function decideRetry(
  status: number,
  headers: Headers,
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  now: Date = new Date(),
): RetryDecision {
  const rateLimited = isRateLimited(status, headers);
  const retryable = rateLimited || status >= 500;
  if (!retryable || attempt >= policy.maxAttempts) return { retry: false, delayMs: 0, rateLimited };
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  const delay = rateLimited ? (rateLimitWaitMs(headers, now) ?? backoff) : backoff;
  if (delay > policy.maxDelayMs) return { retry: false, delayMs: delay, rateLimited };
  return { retry: true, delayMs: delay, rateLimited };
}

/** retry-after (seconds) wins; else the primary limit's reset time (epoch seconds). */
function rateLimitWaitMs(headers: Headers, now: Date): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
  const reset = headers.get('x-ratelimit-reset');
  if (headers.get('x-ratelimit-remaining') === '0' && reset && /^\d+$/.test(reset.trim())) {
    return Math.max(0, Number(reset) * 1000 - now.getTime()) + 1000;
  }
  return undefined;
}
