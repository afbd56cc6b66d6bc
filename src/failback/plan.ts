import { createHash } from 'node:crypto';

/** A pointer as read from S3 just now: its bytes and the ETag/VersionId that identify exactly them. */
export interface CapturedPointer {
  name: string;
  key: string;
  /** Undefined when the pointer could not be read; `problem` says why. */
  etag?: string;
  versionId?: string;
  contentType?: string;
  body?: Buffer;
  sha256?: string;
  runId?: string;
  /** The parsed JSON object, when the body is one. */
  content?: Record<string, unknown>;
  problem?: string;
}

export interface PointerChange {
  name: string;
  key: string;
  fromRunId: string;
  toRunId: string;
  /** The conditional write's If-Match: the ETag seen when the plan was made. */
  etag: string;
  versionId?: string;
  currentSha256: string;
  body: string;
  sha256: string;
}

export type PlanDecision =
  | { kind: 'refused'; problems: string[] }
  | { kind: 'ready'; changes: PointerChange[] };

export interface PlanContext {
  primaryRunId: string;
  drRunId: string;
  executionId: string;
  plannedAt: string;
}

/**
 * Every pointer must name the DR run id, or nothing is written: a pointer on any other run means the
 * state is not the one promotion left behind, and switching "back" would be a guess.
 */
export function planFailback(pointers: CapturedPointer[], context: PlanContext): PlanDecision {
  const problems = pointers.flatMap((pointer) => {
    if (pointer.problem) return [`${pointer.key}: ${pointer.problem}`];
    if (pointer.runId === context.primaryRunId)
      return [`${pointer.key} already names the primary run '${pointer.runId}' (failed back before?)`];
    if (pointer.runId !== context.drRunId)
      return [`${pointer.key} names run '${pointer.runId}', not the DR run '${context.drRunId}'`];
    return [];
  });
  if (problems.length > 0) return { kind: 'refused', problems };
  const changes = pointers.map((pointer) => {
    const body = switchedPointerBody(pointer.content ?? {}, context);
    return {
      name: pointer.name,
      key: pointer.key,
      fromRunId: context.drRunId,
      toRunId: context.primaryRunId,
      etag: pointer.etag ?? '',
      versionId: pointer.versionId,
      currentSha256: pointer.sha256 ?? '',
      body,
      sha256: sha256Hex(body),
    };
  });
  return { kind: 'ready', changes };
}

/**
 * The switched-back pointer: the current content with run_id set to the primary run and a `failback`
 * record of where it came from. Every other field (ended_at, ...) is kept as the DR run left it.
 */
export function switchedPointerBody(current: Record<string, unknown>, context: PlanContext): string {
  const { failback: _previous, ...rest } = current;
  return JSON.stringify({
    ...rest,
    run_id: context.primaryRunId,
    failback: {
      from_run_id: context.drRunId,
      execution_id: context.executionId,
      planned_at: context.plannedAt,
    },
  });
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
