import type { Decision } from '../../concurrency/admission.js';
import { hoursBetween, parseIsoTimestamp, roundHours } from '../../util/time.js';
import { quoted } from '../../validation/errors.js';

/** What reading one S3 object produced; the probe turns SDK responses and errors into this. */
export type ObjectRead =
  | { kind: 'found'; body?: string; lastModified?: Date }
  | { kind: 'missing' }
  | { kind: 'bucket-missing'; detail: string }
  | { kind: 'denied'; detail: string }
  | { kind: 'error'; detail: string };

export interface Reason {
  /** Machine-readable: stale, pointer_missing, run_id_mismatch, marker_missing, ... */
  code: string;
  /** 'global' or 'provider/profile'. */
  subject: string;
  message: string;
}

export interface Pointer {
  runId?: string;
  endedAt?: Date;
  ageHours?: number;
  ageSource?: 'ended_at' | 'last_modified';
  reasons: Reason[];
}

export interface PairObservation {
  pair: string;
  pointer: ObjectRead;
  marker: ObjectRead;
}

export interface HealthAssessment {
  needsDr: boolean;
  publishCorrect: boolean;
  freshnessHours?: number;
  globalRunId?: string;
  reasons: Reason[];
  pairs: { pair: string; ok: boolean; runId?: string; detail: string }[];
}

/** Clock skew we tolerate before calling a pointer's timestamp "in the future". */
export const FUTURE_SKEW_MINUTES = 5;

/**
 * Reads a last_success.json pointer. Every problem (unreadable, malformed, missing field, future
 * timestamp) becomes a reason; the age falls back to LastModified when ended_at is absent or unusable.
 */
export function interpretPointer(read: ObjectRead, subject: string, now: Date): Pointer {
  const reason = (code: string, message: string): Pointer => ({ reasons: [{ code, subject, message }] });
  if (read.kind === 'missing') return reason('pointer_missing', 'last_success.json does not exist');
  if (read.kind === 'bucket-missing') return reason('bucket_missing', read.detail);
  if (read.kind === 'denied')
    return reason('pointer_unreadable', `access denied reading last_success.json (${read.detail})`);
  if (read.kind === 'error')
    return reason('pointer_unreadable', `could not read last_success.json (${read.detail})`);

  const pointer: Pointer = { reasons: [] };
  const add = (code: string, message: string) => pointer.reasons.push({ code, subject, message });
  let document: unknown;
  try {
    document = JSON.parse(read.body ?? '');
  } catch {
    add('pointer_malformed', 'last_success.json is not valid JSON');
  }
  const fields =
    document !== null && typeof document === 'object' && !Array.isArray(document)
      ? (document as Record<string, unknown>)
      : undefined;
  if (document !== undefined && !fields) add('pointer_malformed', 'last_success.json is not a JSON object');

  if (fields) {
    if (typeof fields.run_id === 'string' && fields.run_id.trim() !== '') pointer.runId = fields.run_id;
    else add('pointer_field_missing', 'last_success.json has no run_id');
    if (fields.ended_at !== undefined) {
      const endedAt = parseIsoTimestamp(fields.ended_at);
      if (!endedAt)
        add(
          'pointer_bad_timestamp',
          `ended_at ${quoted(String(fields.ended_at))} is not an ISO-8601 timestamp`,
        );
      else if (hoursBetween(now, endedAt) * 60 > FUTURE_SKEW_MINUTES) {
        add(
          'pointer_in_future',
          `ended_at ${String(fields.ended_at)} is in the future (clock or writer bug)`,
        );
      } else pointer.endedAt = endedAt;
    }
  }

  if (pointer.endedAt) {
    pointer.ageHours = Math.max(0, hoursBetween(pointer.endedAt, now));
    pointer.ageSource = 'ended_at';
  } else if (read.lastModified) {
    pointer.ageHours = Math.max(0, hoursBetween(read.lastModified, now));
    pointer.ageSource = 'last_modified';
  }
  return pointer;
}

/** Batch-first health: the global pointer's age, then every provider/profile pair's correctness. */
export function assessHealth(input: {
  global: ObjectRead;
  pairs: PairObservation[];
  maxFreshnessHours: number;
  now: Date;
}): HealthAssessment {
  const global = interpretPointer(input.global, 'global', input.now);
  const reasons = [...global.reasons];
  if (global.ageHours !== undefined && global.ageHours > input.maxFreshnessHours) {
    reasons.push({
      code: 'stale',
      subject: 'global',
      message: `last successful publish is ${roundHours(global.ageHours)} h old (limit ${input.maxFreshnessHours} h)`,
    });
  }

  const bucketMissing = input.global.kind === 'bucket-missing';
  const pairs = input.pairs.map((observation) => {
    // One reason for a missing bucket, not one per pair: nothing under it can be published.
    if (bucketMissing)
      return { pair: observation.pair, ok: false, detail: 'not checked: the publish bucket is missing' };
    const found = assessPair(observation, global.runId, input.now);
    reasons.push(...found.reasons);
    return {
      pair: observation.pair,
      ok: found.reasons.length === 0,
      runId: found.runId,
      detail: found.detail,
    };
  });

  const publishCorrect = global.reasons.length === 0 && pairs.every((pair) => pair.ok);
  return {
    needsDr: reasons.length > 0,
    publishCorrect,
    freshnessHours: global.ageHours === undefined ? undefined : roundHours(global.ageHours),
    globalRunId: global.runId,
    reasons,
    pairs,
  };
}

function assessPair(observation: PairObservation, globalRunId: string | undefined, now: Date) {
  const subject = observation.pair;
  const pointer = interpretPointer(observation.pointer, subject, now);
  const reasons = [...pointer.reasons];
  if (pointer.runId && globalRunId && pointer.runId !== globalRunId) {
    reasons.push({
      code: 'run_id_mismatch',
      subject,
      message: `run_id ${pointer.runId} differs from the global run_id ${globalRunId}`,
    });
  }
  const marker = observation.marker;
  if (marker.kind === 'missing')
    reasons.push({ code: 'marker_missing', subject, message: 'expected marker file is missing' });
  if (marker.kind === 'denied' || marker.kind === 'error' || marker.kind === 'bucket-missing') {
    reasons.push({
      code: 'marker_unreadable',
      subject,
      message: `cannot read the marker file (${marker.detail})`,
    });
  }
  const detail =
    reasons.length === 0 ? 'published, marker present' : reasons.map((r) => r.message).join('; ');
  return { reasons, runId: pointer.runId, detail };
}

/**
 * What the alarm/schedule admission decided before this run (docs/workflows.md, "Concurrency"):
 * `dropped` means another real DR run is already in flight, so this one records its health and stops.
 */
export type Admission = '' | Decision;

/**
 * Whether the pipeline goes on past check-health. A run the admission dropped never does. A manual
 * drill (force-run) always does; otherwise only when DR is needed AND triggers are enabled
 * (docs/architecture.md, "Trigger safety": off by default).
 */
export function decideProceed(
  needsDr: boolean,
  forceRun: boolean,
  enableTriggers: boolean,
  admission: { decision: Admission; detail?: string } = { decision: '' },
): { proceed: boolean; why: string } {
  if (admission.decision === 'dropped')
    return {
      proceed: false,
      why: `real DR already in flight (${admission.detail || 'see the admission job'}): this alarm is recorded and dropped`,
    };
  if (forceRun) return { proceed: true, why: 'force-run: manual drill always runs' };
  if (!needsDr) return { proceed: false, why: 'pipeline healthy: nothing to do' };
  if (!enableTriggers)
    return { proceed: false, why: 'DR needed, but triggers are disabled (enable-triggers is false)' };
  return { proceed: true, why: 'DR needed and triggers are enabled' };
}
