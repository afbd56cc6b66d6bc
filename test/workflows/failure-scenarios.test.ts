import { describe, expect, it } from '@jest/globals';
import { diagnose, type JobResult } from '../../src/phases/failure/diagnose.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import type { StoredReceipt } from '../../src/receipts/store.js';
import { loadWorkflows, type Workflow } from './load.js';
import { type Scenario, simulate } from './simulate.js';

/**
 * The person paged at 3 a.m.: phases are steps of three jobs, so what happens when step 2 of 5 fails,
 * when the run is cancelled mid-bringup, when the runner dies mid-restore? These tests play each case
 * through dr-pipeline.yml itself (simulate.ts follows GitHub's rules for if:, status functions, step
 * outcomes and job outputs) and check what the workflow file decides: which jobs run, which phase the
 * failure job is told about, whether the standby is torn down.
 */
const pipeline = loadWorkflows().find((w) => w.file === 'dr-pipeline.yml') as Workflow;
const drill = { drill: true, teardown: true, 'plan-only': false, 'hold-minutes': 60 };
const realDr = { drill: false, teardown: true, 'plan-only': false };
const decided = {
  'approval-gate': { result: 'success' },
  hold: { result: 'success', outputs: { decided: 'true' } },
};
const play = (scenario: Scenario) =>
  simulate(pipeline, { outputs: { 'check-health': { proceed: 'true' } }, ...scenario });
const results = (runs: ReturnType<typeof play>) =>
  Object.fromEntries(Object.entries(runs).map(([job, run]) => [job, run.result]));
const failedPhaseInput = (runs: ReturnType<typeof play>) => runs.failure?.inputs.failure?.['failed-phase'];

function stored(phase: Receipt['phase'], sequence: number, status: Receipt['status'] = 'ok'): StoredReceipt {
  const receipt = { phase, sequence, status, error: null } as Receipt;
  return {
    key: `p/x/${phase}.json`,
    uri: `s3://b/p/x/${phase}.json`,
    sha256: 'a'.repeat(64),
    bytes: 1,
    body: Buffer.from(''),
    receipt,
  };
}
const needsOf = (runs: ReturnType<typeof play>): Record<string, JobResult> =>
  Object.fromEntries(
    Object.entries(runs).map(([job, run]) => [job, { result: run.result, outputs: run.outputs }]),
  );

describe('a drill in which nothing goes wrong', () => {
  const runs = play({ inputs: drill, jobs: decided });

  it('runs the three jobs, the gate, promote, hold, teardown and the report; no failure, no release', () => {
    expect(results(runs)).toMatchObject({
      'check-health': 'success',
      'stand-up': 'success',
      recover: 'success',
      'approval-gate': 'success',
      promote: 'success',
      hold: 'success',
      teardown: 'success',
      release: 'skipped',
      failure: 'skipped',
      report: 'success',
      'plan-bundle': 'skipped',
    });
    expect(runs.recover?.outputs['failed-phase']).toBe('');
  });

  it('hands each phase the outputs of the phase before it, across jobs and inside a job', () => {
    expect(runs.recover?.inputs['resolve-runner']?.['instance-id']).toBe('bringup:instance-id');
    expect(runs.recover?.inputs.restore?.['instance-id']).toBe('resolve-runner:instance-id');
    expect(runs.recover?.inputs.restore?.['backup-uri']).toBe('restore-precheck:backup-uri');
    expect(runs.recover?.inputs.validate?.cronjobs).toBe('restore:cronjobs');
    expect(runs.recover?.outputs['rto-seconds']).toBe('request-approval:rto-seconds');
  });
});

describe('step 2 of 5 fails (restore, in the recover job)', () => {
  const runs = play({ inputs: drill, steps: { restore: 'failure' } });

  it('skips the steps after it, names restore as the failed phase, and stops before the gate', () => {
    expect(runs.recover?.steps).toMatchObject({
      'resolve-runner': 'success',
      restore: 'failure',
      validate: 'skipped',
      notify: 'skipped',
      'request-approval': 'skipped',
    });
    expect(runs.recover?.outputs['failed-phase']).toBe('restore');
    expect(results(runs)).toMatchObject({
      recover: 'failure',
      'approval-gate': 'skipped',
      promote: 'skipped',
      hold: 'skipped',
    });
  });

  it('runs the failure job with failed-phase restore, tears the drill down, and reports', () => {
    expect(results(runs)).toMatchObject({
      failure: 'success',
      teardown: 'success',
      report: 'success',
      release: 'skipped',
    });
    expect(failedPhaseInput(runs)).toBe('restore');
  });

  it('in a real DR run: the failure is reported, the standby is kept for the responders', () => {
    const real = play({ inputs: realDr, steps: { restore: 'failure' } });
    expect(results(real)).toMatchObject({ failure: 'success', teardown: 'skipped', hold: 'skipped' });
    expect(failedPhaseInput(real)).toBe('restore');
  });

  it('a step that outlives its timeout-minutes is killed and fails the same way', () => {
    const timedOut = play({ inputs: drill, steps: { validate: 'failure' } });
    expect(timedOut.recover?.outputs['failed-phase']).toBe('validate');
    expect(results(timedOut)).toMatchObject({ failure: 'success', teardown: 'success' });
  });
});

describe('the runner dies mid-restore (no step outcome, no outputs)', () => {
  const runs = play({ inputs: drill, runnerLostAt: 'restore' });

  it('still tears the drill down and runs the failure job, which is told no phase', () => {
    expect(runs.recover?.outputs).toEqual({});
    expect(results(runs)).toMatchObject({ recover: 'failure', teardown: 'success', failure: 'success' });
    expect(failedPhaseInput(runs)).toBe('');
  });

  it('the failure phase then finds restore from the receipts: the first phase of recover without an ok one', () => {
    const receipts = ['check-health', 'restore-precheck', 'bringup', 'resolve-runner'].map((p, i) =>
      stored(p as Receipt['phase'], i + 1),
    );
    const found = diagnose(needsOf(runs), receipts);
    expect(found).toMatchObject({
      phase: 'restore',
      reason: 'job_failed',
      jobResult: 'failure',
      receiptUri: null,
    });
    expect(found.message).toContain(
      "job 'recover' (phase 'restore') ended 'failure' without a failed receipt",
    );
  });

  it('a setup step failing before any phase of the job names the first phase of that job', () => {
    const receipts = ['check-health', 'restore-precheck', 'bringup'].map((p, i) =>
      stored(p as Receipt['phase'], i + 1),
    );
    expect(diagnose(needsOf(runs), receipts).phase).toBe('resolve-runner');
  });
});

describe('the run is cancelled', () => {
  it('mid-bringup: the standby may exist, so the drill is torn down; no failure receipt, the report runs', () => {
    const runs = play({ inputs: drill, cancelledAt: 'bringup' });
    expect(runs['stand-up']?.outputs['bringup-outcome']).toBe('cancelled');
    expect(results(runs)).toMatchObject({
      'stand-up': 'cancelled',
      recover: 'skipped',
      teardown: 'success',
      failure: 'skipped',
      report: 'success',
    });
  });

  it('mid-precheck: bringup never started (outcome skipped), so there is nothing to tear down', () => {
    const runs = play({ inputs: drill, cancelledAt: 'restore-precheck' });
    expect(runs['stand-up']?.outputs['bringup-outcome']).toBe('skipped');
    expect(results(runs)).toMatchObject({ teardown: 'skipped', report: 'success' });
  });

  it('mid-validate: the drill is torn down', () => {
    const runs = play({ inputs: drill, cancelledAt: 'validate' });
    expect(results(runs)).toMatchObject({ recover: 'cancelled', teardown: 'success', promote: 'skipped' });
  });
});

describe('restore-precheck fails (no EC2 spend)', () => {
  const runs = play({ inputs: drill, steps: { 'restore-precheck': 'failure' } });

  it('bringup never runs, nothing is torn down, and the failure names restore-precheck', () => {
    expect(runs['stand-up']?.steps).toMatchObject({ 'restore-precheck': 'failure', bringup: 'skipped' });
    expect(results(runs)).toMatchObject({ recover: 'skipped', teardown: 'skipped', failure: 'success' });
    expect(failedPhaseInput(runs)).toBe('restore-precheck');
  });
});

describe('plan-only and the hold window still behave', () => {
  it('plan-only stops after the plan: the plan bundle is built, nothing after it runs', () => {
    const runs = play({ inputs: { ...drill, 'plan-only': true } });
    expect(results(runs)).toMatchObject({
      'stand-up': 'success',
      'plan-bundle': 'success',
      recover: 'skipped',
      'approval-gate': 'skipped',
      teardown: 'skipped',
      failure: 'skipped',
    });
    expect(runs['stand-up']?.inputs.bringup?.['plan-only']).toBe('true');
  });

  it('a gate undecided in the hold window: teardown, then release cancels the run; promote records nothing', () => {
    const runs = play({
      inputs: drill,
      jobs: {
        'approval-gate': { result: 'cancelled' },
        hold: { result: 'success', outputs: { decided: 'false' } },
      },
    });
    expect(results(runs)).toMatchObject({ teardown: 'success', release: 'success', promote: 'skipped' });
  });

  it('a rejection inside the window is recorded by promote and is not a failure', () => {
    const runs = play({ inputs: drill, jobs: { ...decided, 'approval-gate': { result: 'failure' } } });
    expect(results(runs)).toMatchObject({ promote: 'success', failure: 'skipped', teardown: 'success' });
  });
});
