import { describe, expect, it } from '@jest/globals';
import { HOLD_WINDOW_MAX_MINUTES, holdWindow, RUNNER_MARGIN_MS } from '../../src/concurrency/hold-window.js';

describe('holdWindow: never past GitHub’s 6 h job limit, never past the runner’s expiry (issue 20.12)', () => {
  const now = new Date('2026-12-04T10:00:00Z');

  it('caps below the 360-minute job limit', () => {
    expect(HOLD_WINDOW_MAX_MINUTES).toBeLessThan(360);
  });

  it('is the requested window when the runner outlives it', () => {
    expect(holdWindow(60, now, new Date('2026-12-04T13:00:00Z'))).toEqual({
      windowMs: 3_600_000,
      boundBy: 'requested',
    });
    expect(holdWindow(60, now)).toEqual({ windowMs: 3_600_000, boundBy: 'requested' });
  });

  it('ends the margin before the runner expires when that comes first', () => {
    const expires = new Date('2026-12-04T10:40:00Z');
    expect(holdWindow(60, now, expires)).toEqual({
      windowMs: 40 * 60_000 - RUNNER_MARGIN_MS,
      boundBy: 'runner-expiry',
    });
  });

  it('is zero (tear down now) for a runner expiring within the margin or already expired', () => {
    expect(holdWindow(60, now, new Date('2026-12-04T10:05:00Z')).windowMs).toBe(0);
    expect(holdWindow(60, now, new Date('2026-12-04T09:00:00Z')).windowMs).toBe(0);
  });
});
