import { describe, expect, it } from '@jest/globals';
import {
  ADMISSION_JOB,
  ADMITTED_STEP,
  blocksAdmission,
  type Candidate,
  DROPPED_STEP,
  decideAdmission,
} from '../../src/concurrency/admission.js';
import { findGate } from '../../src/concurrency/drill-hold.js';
import type { WorkflowJob, WorkflowRun } from '../../src/github/types.js';

const ME = { runId: 500, createdAt: '2026-11-28T03:00:05Z' };

function run(id: number, status: string, createdAt = '2026-11-28T03:00:00Z'): WorkflowRun {
  return {
    id,
    name: 'DR alarm',
    run_number: id,
    event: 'workflow_dispatch',
    status,
    conclusion: status === 'completed' ? 'success' : null,
    workflow_id: 1,
    head_sha: 'a'.repeat(40),
    html_url: `https://github.com/acme/standby/actions/runs/${id}`,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

function admission(status: string, conclusion: string | null, dropped?: boolean): WorkflowJob {
  const step = (name: string, ran: boolean) => ({
    name,
    status: status === 'completed' ? 'completed' : 'queued',
    conclusion: status === 'completed' ? (ran ? 'success' : 'skipped') : null,
    number: 3,
  });
  return {
    id: 1,
    run_id: 1,
    name: ADMISSION_JOB,
    status,
    conclusion,
    started_at: '2026-11-28T03:00:00Z',
    completed_at: null,
    html_url: null,
    steps: dropped === undefined ? [] : [step(ADMITTED_STEP, !dropped), step(DROPPED_STEP, dropped)],
  };
}

const candidate = (r: WorkflowRun, a?: WorkflowJob): Candidate => ({ run: r, admission: a });

describe('which other runs count as real DR in flight', () => {
  it.each([
    [
      'an admitted run still going (at the gate)',
      candidate(run(1, 'waiting'), admission('completed', 'success', false)),
      'admitted, still running',
    ],
    [
      'a run whose admission failed (admitted unchecked)',
      candidate(run(1, 'in_progress'), admission('completed', 'failure')),
      'failed admission',
    ],
    [
      'an earlier run whose admission the API still shows running',
      candidate(run(1, 'in_progress'), admission('in_progress', null)),
      'started earlier',
    ],
  ])('%s blocks', (_, c, why) => {
    expect(blocksAdmission(c, ME)).toContain(why);
  });

  it.each([
    ['this run itself', candidate(run(500, 'in_progress'), admission('in_progress', null))],
    ['a completed run', candidate(run(1, 'completed'), admission('completed', 'success', false))],
    ['a run that was dropped', candidate(run(1, 'in_progress'), admission('completed', 'success', true))],
    [
      'a run whose admission was skipped (not an ALARM, healthy schedule)',
      candidate(run(1, 'in_progress'), admission('completed', 'skipped')),
    ],
    [
      'a run whose admission was cancelled (replaced in the group)',
      candidate(run(1, 'completed'), admission('completed', 'cancelled')),
    ],
    ['a run without an admission job yet', candidate(run(1, 'queued'))],
    [
      'a run whose admission waits behind this one',
      candidate(run(1, 'in_progress'), admission('queued', null)),
    ],
    [
      'a later run whose admission shows running',
      candidate(run(900, 'in_progress', '2026-11-28T03:00:09Z'), admission('in_progress', null)),
    ],
  ])('%s does not block', (_, c) => {
    expect(blocksAdmission(c, ME)).toBeUndefined();
  });
});

describe('two alarms at once cannot both start real DR', () => {
  it('the first admission admits; the second, serialised after it, sees the first and drops', () => {
    // Alarm A (run 10) and alarm B (run 11) arrive together; both wait for the admission group.
    const a = run(10, 'in_progress', '2026-11-28T03:00:00Z');
    const b = run(11, 'pending', '2026-11-28T03:00:01Z');
    const first = decideAdmission([candidate(a, admission('in_progress', null)), candidate(b)], {
      runId: 10,
      createdAt: a.created_at,
    });
    expect(first.decision).toBe('admitted');
    const second = decideAdmission(
      [
        candidate(a, admission('completed', 'success', false)),
        candidate({ ...b, status: 'in_progress' }, admission('in_progress', null)),
      ],
      { runId: 11, createdAt: b.created_at },
    );
    expect(second).toMatchObject({
      decision: 'dropped',
      blocking: [{ runId: 10, why: 'admitted, still running' }],
    });
    expect(second.detail).toContain('run 10');
  });

  it('a dropped run never blocks the next alarm once the real DR run has ended', () => {
    const dropped = candidate(run(11, 'in_progress'), admission('completed', 'success', true));
    const ended = candidate(run(10, 'completed'), admission('completed', 'success', false));
    expect(decideAdmission([ended, dropped], ME).decision).toBe('admitted');
  });
});

describe('findGate', () => {
  it('finds the gate job directly or under the caller job (reusable workflows list "caller / callee")', () => {
    const job = (name: string) => ({ ...admission('waiting', null), name });
    expect(findGate([job('dr / check-health'), job('dr / approval-gate')])?.name).toBe('dr / approval-gate');
    expect(findGate([job('approval-gate')])?.name).toBe('approval-gate');
    expect(findGate([job('dr / not-approval-gate-x')])).toBeUndefined();
  });
});
