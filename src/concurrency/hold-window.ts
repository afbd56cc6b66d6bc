/**
 * How long a drill's hold job may wait for the gate (issue 20.12). Pure.
 *
 * GitHub-hosted jobs end after 6 hours of execution ("Each job in a workflow can run for up to 6 hours of
 * execution time. If a job reaches this limit, the job is terminated": docs.github.com/actions, "Usage
 * limits"). A hold job killed at 6 h fails, `release` is then skipped (it needs a successful hold), and
 * the drill keeps its concurrency group until the gate expires 30 days later. So the window is capped
 * below 360 minutes, leaving the job room to start and to write its outputs.
 *
 * The window also never runs past the runner's own lifetime (bringup's expires-at): a standby that
 * terminated itself is nothing to review. The hold then ends `RUNNER_MARGIN_MS` before the runner's
 * expiry, so teardown finds it still there.
 */
export const HOLD_WINDOW_MAX_MINUTES = 350;
export const RUNNER_MARGIN_MS = 10 * 60_000;

export interface HoldWindow {
  windowMs: number;
  /** What bounded the window, for the job summary. */
  boundBy: 'requested' | 'runner-expiry';
}

export function holdWindow(requestedMinutes: number, now: Date, runnerExpiresAt?: Date): HoldWindow {
  const requested = requestedMinutes * 60_000;
  if (!runnerExpiresAt) return { windowMs: requested, boundBy: 'requested' };
  const untilExpiry = Math.max(0, runnerExpiresAt.getTime() - RUNNER_MARGIN_MS - now.getTime());
  return untilExpiry < requested
    ? { windowMs: untilExpiry, boundBy: 'runner-expiry' }
    : { windowMs: requested, boundBy: 'requested' };
}
