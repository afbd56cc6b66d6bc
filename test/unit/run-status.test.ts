import { describe, expect, it } from '@jest/globals';
import { describeRto } from '../../src/cli/commands/status.js';
import type { WorkflowJob } from '../../src/github/types.js';
import { rtoProgress } from '../../src/operator/rto-progress.js';
import { phaseOfJobNow } from '../../src/operator/run-status.js';
import { rtoBudget } from '../../src/pipeline/budget.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { receiptDraft } from '../helpers/receipt-draft.js';

type Step = NonNullable<WorkflowJob['steps']>[number];
const step = (name: string, status: string, conclusion: string | null, number: number): Step => ({
  name,
  status,
  conclusion,
  number,
});
const job = (name: string, overrides: Partial<WorkflowJob> = {}): WorkflowJob => ({
  id: 1,
  run_id: 7,
  name,
  status: 'in_progress',
  conclusion: null,
  started_at: '2026-11-22T01:00:00Z',
  completed_at: null,
  html_url: null,
  ...overrides,
});
const recoverSteps = (restore: [string, string | null]) => [
  step('Set up job', 'completed', 'success', 1),
  step('resolve-runner', 'completed', 'success', 4),
  step('restore', restore[0], restore[1], 6),
  step(
    'validate',
    restore[0] === 'in_progress' ? 'queued' : 'completed',
    restore[0] === 'in_progress' ? null : 'skipped',
    8,
  ),
];

describe('standby status: the phase a job of several phases is at', () => {
  it('the phase step running now', () => {
    expect(phaseOfJobNow(job('dr / recover', { steps: recoverSteps(['in_progress', null]) }))).toBe(
      'restore',
    );
  });

  it('the failed phase step of a failed job', () => {
    const failed = job('dr / recover', {
      status: 'completed',
      conclusion: 'failure',
      steps: recoverSteps(['completed', 'failure']),
    });
    expect(phaseOfJobNow(failed)).toBe('restore');
  });

  it("the first unfinished phase when the job's runner was lost (no step says failure)", () => {
    const lost = job('dr / recover', {
      status: 'completed',
      conclusion: 'failure',
      steps: [step('resolve-runner', 'completed', 'success', 4), step('restore', 'in_progress', null, 6)],
    });
    expect(phaseOfJobNow(lost)).toBe('restore');
  });

  it('a job of one phase, or none, is its own name', () => {
    expect(phaseOfJobNow(job('dr / check-health'))).toBe('check-health');
    expect(phaseOfJobNow(job('dr / approval-gate'))).toBe('approval-gate');
  });
});

describe('standby status: RTO so far against the recovery-time budget', () => {
  const now = new Date('2026-11-22T01:30:00Z');

  it("from GitHub alone: the run's start to the end of recover, or to now while it runs", () => {
    const running = rtoProgress({ runStartedAt: '2026-11-22T01:00:00Z', jobs: [job('dr / recover')], now });
    expect(running).toMatchObject({
      seconds: 1800,
      reached: false,
      basis: 'jobs',
      floorSeconds: rtoBudget().totalSeconds,
    });
    expect(describeRto(running)).toMatch(/^30m 0s so far \(run start → now, not approval-ready yet; floor /);
    const done = rtoProgress({
      runStartedAt: '2026-11-22T01:00:00Z',
      jobs: [
        job('dr / recover', {
          status: 'completed',
          conclusion: 'success',
          completed_at: '2026-11-22T01:12:30Z',
        }),
      ],
      now,
    });
    expect(done).toMatchObject({ seconds: 750, reached: true });
    expect(describeRto(done)).toMatch(/^12m 30s \(run start → approval-ready; floor .*x\)$/);
  });

  it('from the receipts: the trigger request-approval recorded, and the floor of the phases done so far', () => {
    let sequence = 0;
    const r = (phase: Receipt['phase'], start: string, end: string, extra: Partial<Receipt> = {}) => ({
      receipt: {
        ...receiptDraft({ execution_id: 'alarm-7', phase, started_at: start, ended_at: end }),
        attempt: 1,
        sequence: ++sequence,
        previous: null,
        ...extra,
      } as Receipt,
    });
    const receipts = [
      r('check-health', '2026-11-22T01:00:00Z', '2026-11-22T01:00:05Z'),
      r('restore-precheck', '2026-11-22T01:00:20Z', '2026-11-22T01:00:25Z'),
    ];
    const soFar = rtoProgress({ runStartedAt: '2026-11-22T00:59:00Z', jobs: [], receipts, now });
    expect(soFar).toMatchObject({
      from: '2026-11-22T01:00:00.000Z',
      seconds: 1800,
      reached: false,
      basis: 'receipts',
    });
    const budget = rtoBudget();
    const floorSoFar = (budget.lines[0]?.seconds ?? 0) + (budget.lines[1]?.seconds ?? 0) + 2 * 9;
    expect(soFar.floorSoFarSeconds).toBeCloseTo(floorSoFar, 1);
    const ready = [
      ...receipts,
      r('request-approval', '2026-11-22T01:20:00Z', '2026-11-22T01:20:02Z', {
        inputs: { 'triggered-at': '2026-11-22T00:55:00Z' },
      }),
    ];
    expect(
      rtoProgress({ runStartedAt: '2026-11-22T00:59:00Z', jobs: [], receipts: ready, now }),
    ).toMatchObject({
      from: '2026-11-22T00:55:00.000Z',
      until: '2026-11-22T01:20:02.000Z',
      seconds: 1502,
      reached: true,
    });
  });
});
