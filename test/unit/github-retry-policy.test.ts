import { describe, expect, it } from '@jest/globals';
import { decideRetry, isRateLimited } from '../../src/github/retry-policy.js';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 60_000 };
const now = new Date('2026-11-22T02:00:00Z');
const headers = (h: Record<string, string> = {}) => new Headers(h);

describe('GitHub retry policy', () => {
  it('backs off exponentially on 5xx until attempts run out', () => {
    expect(decideRetry(502, headers(), 1, policy, now)).toEqual({
      retry: true,
      delayMs: 100,
      rateLimited: false,
    });
    expect(decideRetry(503, headers(), 3, policy, now)).toEqual({
      retry: true,
      delayMs: 400,
      rateLimited: false,
    });
    expect(decideRetry(500, headers(), 4, policy, now).retry).toBe(false);
  });

  it('never retries 401, 404, 422 or a plain 403 (permission), which retrying cannot fix', () => {
    for (const status of [401, 404, 422])
      expect(decideRetry(status, headers(), 1, policy, now).retry).toBe(false);
    const forbidden = decideRetry(403, headers({ 'x-ratelimit-remaining': '4999' }), 1, policy, now);
    expect(forbidden).toEqual({ retry: false, delayMs: 0, rateLimited: false });
  });

  it('waits for the primary limit to reset when x-ratelimit-remaining is 0', () => {
    const reset = String(now.getTime() / 1000 + 30);
    const decision = decideRetry(
      403,
      headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
      1,
      policy,
      now,
    );
    expect(decision).toEqual({ retry: true, delayMs: 31_000, rateLimited: true });
  });

  it('honours retry-after on secondary limits (403 or 429)', () => {
    expect(decideRetry(429, headers({ 'retry-after': '7' }), 1, policy, now)).toEqual({
      retry: true,
      delayMs: 7000,
      rateLimited: true,
    });
    expect(decideRetry(403, headers({ 'retry-after': '2' }), 2, policy, now)).toEqual({
      retry: true,
      delayMs: 2000,
      rateLimited: true,
    });
  });

  it('reports instead of sleeping when the reset is further away than the cap', () => {
    const reset = String(now.getTime() / 1000 + 3600);
    const decision = decideRetry(
      403,
      headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
      1,
      policy,
      now,
    );
    expect(decision.retry).toBe(false);
    expect(decision.rateLimited).toBe(true);
  });

  it('a 429 is a rate limit even without headers; a 403 needs them', () => {
    expect(isRateLimited(429, headers())).toBe(true);
    expect(isRateLimited(403, headers())).toBe(false);
    expect(isRateLimited(500, headers({ 'retry-after': '1' }))).toBe(false);
  });
});
