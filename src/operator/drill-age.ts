import type { DrillCheck } from './trigger-gate.js';

const HOUR_MS = 3_600_000;
/** How far in the future a drill's end may lie (clock skew between runners and this machine). */
export const FUTURE_SKEW_MS = 5 * 60_000;

export interface DrillAge {
  executionId: string;
  endedAt: string;
  ageHours: number;
  ageDays: number;
}

/**
 * Why a verified drill cannot date the drill age, or undefined. An end in the future would keep the age
 * at zero for as long as it stays in the future (a runner's wrong clock, or a receipt written to silence
 * the alarm), so it is passed over like an unverified drill.
 */
export function whyNotDatable(check: DrillCheck, now: Date): string | undefined {
  const ended = Date.parse(check.endedAt ?? '');
  if (!Number.isFinite(ended)) return 'no receipt says when it ended';
  if (ended - now.getTime() > FUTURE_SKEW_MS)
    return `it ends in the future (${check.endedAt}, now ${now.toISOString()}): it cannot date the drill age`;
  return undefined;
}

/** The age of the proving drill at `now`, in hours (2 decimals, never below 0) and whole days. */
export function drillAge(proof: DrillCheck, now: Date): DrillAge {
  const endedAt = proof.endedAt ?? '';
  const ms = Math.max(0, now.getTime() - Date.parse(endedAt));
  return {
    executionId: proof.executionId,
    endedAt,
    ageHours: Math.round((ms / HOUR_MS) * 100) / 100,
    ageDays: Math.floor(ms / (24 * HOUR_MS)),
  };
}
