import type { Clock } from '../../src/util/clock.js';

/** A clock that moves only when slept on: waits of minutes take no real time, and tests read the time it shows. */
export function fakeClock(start = Date.parse('2026-11-28T07:00:00Z')): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
      await Promise.resolve();
    },
  };
}
