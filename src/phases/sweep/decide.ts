import { describeLookup, type RunLookup } from '../../github/run-status.js';
import type { Receipt } from '../../receipts/envelope.js';
import { parseIsoTimestamp } from '../../util/time.js';
import { quoted } from '../../validation/errors.js';

/** What the sweeper knows about one runner (a live instance, or the runner a leftover state describes). */
export interface SweepSubject {
  executionId?: string;
  kind?: string;
  expiresAt?: string;
  /** The standby-run-id tag: a run id, or 'none' for a runner started from a terminal. */
  runId?: string;
  /** The standby-serving tag: 'true' once a real-DR activation made this standby the one in use. */
  serving?: string;
}

/**
 * keep: nothing to do. destroy: leaked. report: kept, but something is off that a person must look at
 * (the sweeper cannot tell whether the runner is in use, so it does not destroy it).
 */
export type RunnerAction = 'keep' | 'destroy' | 'report';
export type Verdict = { action: RunnerAction; why: string };

const RUN_ID = /^[1-9]\d{0,18}$/;

/**
 * Which run owns an execution. The standby-run-id tag and the run id in the execution id
 * (drill-/alarm-/dr-<run id>) must agree when both are there; 'none' is a runner started from a terminal.
 * A disagreement is a conflict: the sweeper cannot know which run to ask, so it acts on neither.
 */
export type Ownership = { kind: 'run'; runId: number } | { kind: 'none' } | { kind: 'conflict'; why: string };

export function ownershipOf(subject: SweepSubject): Ownership {
  const tag = subject.runId;
  const fromId = /^(?:drill|alarm|dr)-([1-9]\d{0,18})$/.exec(subject.executionId ?? '')?.[1];
  if (tag !== undefined && tag !== 'none' && !RUN_ID.test(tag))
    return { kind: 'conflict', why: `standby-run-id ${quoted(tag.slice(0, 40))} is not a run id` };
  if (tag === 'none' && fromId)
    return {
      kind: 'conflict',
      why: `standby-run-id says no run (terminal) but execution ${subject.executionId} names run ${fromId}`,
    };
  if (tag && tag !== 'none' && fromId && tag !== fromId)
    return {
      kind: 'conflict',
      why: `standby-run-id ${tag} disagrees with execution ${subject.executionId} (run ${fromId})`,
    };
  const id = tag && tag !== 'none' ? tag : fromId;
  return id ? { kind: 'run', runId: Number(id) } : { kind: 'none' };
}

/** The run to look up for a subject, when exactly one run owns it. */
export function owningRunId(subject: SweepSubject): number | undefined {
  const owner = ownershipOf(subject);
  return owner.kind === 'run' ? owner.runId : undefined;
}

/**
 * What the sweeper knows of the owning run: a lookup, or `undefined` when it could not ask (no
 * github-token). A subject no run owns needs no lookup.
 */
export type RunFact = RunLookup | undefined;

/**
 * Whether a runner has leaked: one function from what was observed to what to do, and why. Destroy only
 * what is proven over: a drill whose run finished, or a runner past its expiry whose run finished (or
 * that no run owns). Anything uncertain is kept: a serving standby always; a run the API cannot show
 * (404/403/401/5xx), a live run past the expiry, or tags that contradict each other are reported, never
 * destroyed (a real-DR standby in use must not die on a clock or on a token's missing permission).
 */
export function decideRunner(subject: SweepSubject, now: Date, run: RunFact): Verdict {
  if (subject.serving === 'true')
    return {
      action: 'keep',
      why: 'serving standby (standby-serving=true): never swept; only an approved teardown ends it',
    };
  if (subject.serving !== undefined && subject.serving !== 'false')
    return {
      action: 'report',
      why: `standby-serving reads ${quoted(subject.serving.slice(0, 40))}, neither true nor false: not touched; check who set it`,
    };
  const owner = ownershipOf(subject);
  if (owner.kind === 'conflict') return { action: 'report', why: `${owner.why}: not touched` };
  const expires = parseIsoTimestamp(subject.expiresAt);
  const expired = expires !== undefined && expires.getTime() <= now.getTime();
  const runState = owner.kind === 'none' ? 'none' : run === undefined ? 'unchecked' : run.state;
  const runText =
    owner.kind === 'none'
      ? 'no run owns it (started from a terminal)'
      : run === undefined
        ? 'its run was not checked (no github-token)'
        : `its run is ${describeLookup(run)}`;

  if (expired) {
    if (runState === 'none' || runState === 'finished')
      return { action: 'destroy', why: `expired at ${subject.expiresAt}; ${runText}` };
    const extend = runState === 'live' ? 'extend its expiry if it is in use, or tear it down' : 'check it';
    return {
      action: 'report',
      why: `expired at ${subject.expiresAt} but ${runText}: not destroyed (${extend}; its own dead-man switch still applies)`,
    };
  }
  if (subject.kind !== 'drill') {
    const why = expires
      ? `real DR standby, expires ${subject.expiresAt}; torn down by a person (teardown workflow)`
      : `kind ${subject.kind ?? 'unknown'} without a readable expiry: kept; tear it down by hand if it is not in use`;
    return { action: 'keep', why };
  }
  const until = `expires ${subject.expiresAt ?? '?'}`;
  switch (runState) {
    case 'finished':
      return { action: 'destroy', why: `drill whose run is over: ${runText}` };
    case 'unknown':
      return { action: 'report', why: `drill whose run cannot be checked: ${runText}; kept, ${until}` };
    case 'live':
      return { action: 'keep', why: `drill whose run is ${describeLookup(run as RunLookup)}; ${until}` };
    default:
      return { action: 'keep', why: `drill: ${runText}; kept until its expiry, ${until}` };
  }
}

/**
 * The serving record (issue 20.2): the execution's own write-once activate receipt that made its runner
 * the serving standby. It stands beside the standby-serving tag, so a runner whose tags were changed or
 * stripped, or a leftover state whose instance the sweeper cannot see, is still never destroyed.
 */
export function servingActivation(receipts: readonly Receipt[]): Receipt | undefined {
  return receipts
    .filter((r) => r.phase === 'activate' && r.status === 'ok' && r.outputs.serving === true)
    .at(-1);
}

/** A destroy verdict, overruled by a serving record: kept, with the record named. */
export function overruledByServing(
  verdict: Verdict,
  record: { uri: string; at: string } | undefined,
): Verdict {
  if (verdict.action !== 'destroy' || !record) return verdict;
  return {
    action: 'keep',
    why: `serving standby by its activate receipt (${record.uri}, ${record.at}): never swept, whatever its tags say; only an approved teardown ends it`,
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
 * A state lock is stale when its holder cannot still be running: it was taken before the execution's run
 * finished (a lock taken later belongs to someone else: a teardown run, another sweep), or it is older
 * than any Terraform job can live (every job has timeout-minutes; GitHub stops it there). A lock whose
 * creation time is missing or garbled is never stale: nothing proves its holder gone.
 */
export function lockIsStale(
  lock: LockInfo,
  now: Date,
  staleAfterMinutes: number,
  run: RunFact,
): { stale: boolean; why: string } {
  const created = parseIsoTimestamp(lock.Created);
  if (!created)
    return {
      stale: false,
      why: `its creation time ${lock.Created === undefined ? 'is missing' : `${quoted(String(lock.Created))} is unreadable`}: not judged stale; force-unlock it by hand once its holder is known to be gone`,
    };
  const finishedAt = run?.state === 'finished' ? parseIsoTimestamp(run.completedAt) : undefined;
  if (run?.state === 'finished' && finishedAt && created.getTime() <= finishedAt.getTime())
    return { stale: true, why: `taken before its execution's run ${describeLookup(run)} ended` };
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
