import { describeLookup, type RunLookup } from '../../github/run-status.js';
import { parseIsoTimestamp } from '../../util/time.js';

/** What the sweeper knows about one runner (a live instance, or the runner a leftover state describes). */
export interface SweepSubject {
  executionId?: string;
  kind?: string;
  expiresAt?: string;
  /** The standby-run-id tag: a run id, or 'none' for a runner started from a terminal. */
  runId?: string;
}

export type Verdict = { action: 'keep' | 'destroy'; why: string };

/** The run that owns an execution, from its standby-run-id tag, else from the execution id (drill-<run id>). */
export function owningRunId(subject: SweepSubject): number | undefined {
  const tagged = subject.runId && /^[1-9]\d{0,18}$/.test(subject.runId) ? subject.runId : undefined;
  const fromId = /^(?:drill|alarm|dr)-([1-9]\d{0,18})$/.exec(subject.executionId ?? '')?.[1];
  const id = tagged ?? (subject.runId === 'none' ? undefined : fromId);
  return id ? Number(id) : undefined;
}

/**
 * Whether a runner has leaked. Past its expiry: always (the dead-man switch should already have taken
 * it). A drill: also as soon as the run that owns it is over (finished, or gone from the API). A real DR
 * runner is otherwise kept: it is what people fail over to, and only a person tears it down. Anything
 * uncertain (no expiry on a real DR runner, an API error) keeps the runner and says why.
 */
export function decideRunner(subject: SweepSubject, now: Date, run: RunLookup | undefined): Verdict {
  const expires = parseIsoTimestamp(subject.expiresAt);
  if (expires && expires.getTime() <= now.getTime())
    return { action: 'destroy', why: `expired at ${subject.expiresAt}` };
  if (subject.kind !== 'drill') {
    const why = expires
      ? `real DR standby, expires ${subject.expiresAt}; torn down by a person (teardown workflow)`
      : `kind ${subject.kind ?? 'unknown'} without a readable expiry: kept; tear it down by hand if it is not in use`;
    return { action: 'keep', why };
  }
  if (!run)
    return { action: 'keep', why: `drill without a run to check; expires ${subject.expiresAt ?? '?'}` };
  if (run.state === 'finished' || run.state === 'missing')
    return { action: 'destroy', why: `drill whose run is ${describeLookup(run)}` };
  return {
    action: 'keep',
    why: `drill whose run is ${describeLookup(run)}; expires ${subject.expiresAt ?? '?'}`,
  };
}

/** Terraform's lock info (the .tflock body, and the DynamoDB item's Info attribute). */
export interface LockInfo {
  ID?: string;
  Operation?: string;
  Who?: string;
  Created?: string;
  Path?: string;
}

/**
 * A state lock is stale when its holder cannot still be running: the execution's run is over, or the lock
 * is older than any Terraform job can live (every job has timeout-minutes; GitHub stops it there).
 */
export function lockIsStale(
  lock: LockInfo,
  now: Date,
  staleAfterMinutes: number,
  run: RunLookup | undefined,
): { stale: boolean; why: string } {
  if (run?.state === 'finished' || run?.state === 'missing')
    return { stale: true, why: `its execution's run is ${describeLookup(run)}` };
  const created = parseIsoTimestamp(lock.Created);
  if (!created) return { stale: true, why: 'it has no readable creation time' };
  const ageMinutes = (now.getTime() - created.getTime()) / 60_000;
  if (ageMinutes > staleAfterMinutes)
    return {
      stale: true,
      why: `taken ${Math.round(ageMinutes)} min ago, longer than any job may run (${staleAfterMinutes} min)`,
    };
  return {
    stale: false,
    why: `taken ${Math.round(ageMinutes)} min ago by ${lock.Who ?? '?'} (${lock.Operation ?? '?'})`,
  };
}

/** The execution id a state key names: <prefix>/<execution id>.tfstate. */
export function executionOfStateKey(prefix: string, key: string): string | undefined {
  const start = `${prefix.replace(/\/+$/, '')}/`;
  if (!key.startsWith(start) || !key.endsWith('.tfstate')) return undefined;
  const id = key.slice(start.length, -'.tfstate'.length);
  return /^[A-Za-z0-9._-]{1,128}$/.test(id) ? id : undefined;
}
