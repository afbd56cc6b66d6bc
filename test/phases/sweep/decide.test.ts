import { describe, expect, it } from '@jest/globals';
import type { RunLookup } from '../../../src/github/run-status.js';
import {
  decideRunner,
  executionOfStateKey,
  lockIsStale,
  overruledByServing,
  ownershipOf,
  owningRunId,
  type SweepSubject,
  servingActivation,
} from '../../../src/phases/sweep/decide.js';
import type { Receipt } from '../../../src/receipts/envelope.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const live: RunLookup = { state: 'live', status: 'waiting' };
const finished: RunLookup = {
  state: 'finished',
  conclusion: 'cancelled',
  completedAt: '2026-11-28T11:00:00Z',
};
const notFound: RunLookup = {
  state: 'unknown',
  detail: 'GitHub API GET /repos/acme/standby/actions/runs/7 answered 404 (Not Found)',
};
const forbidden: RunLookup = { state: 'unknown', detail: 'answered 403 (Resource not accessible)' };
const PAST = '2026-11-28T11:59:59Z';
const FUTURE = '2026-11-28T15:00:00Z';

/** Every row of the runner decision: the observed facts, the action, and what the reason must say. */
const ROWS: [string, SweepSubject, RunLookup | undefined, 'keep' | 'destroy' | 'report', RegExp][] = [
  // Past the expiry: destroyed only when nothing can still be using it.
  [
    'expired drill, run finished',
    { kind: 'drill', expiresAt: PAST },
    finished,
    'destroy',
    /expired at .*finished \(cancelled\)/,
  ],
  [
    'expired real DR runner, run finished',
    { kind: 'dr', executionId: 'alarm-7', expiresAt: '2026-11-28T12:00:00Z' },
    finished,
    'destroy',
    /expired at/,
  ],
  [
    'expired runner no run owns (terminal)',
    { kind: 'drill', runId: 'none', executionId: 'manual-1', expiresAt: PAST },
    undefined,
    'destroy',
    /no run owns it/,
  ],
  // 19.9: a past expiry on a runner whose run is live or unknown is reported, never destroyed.
  [
    '19.9 expired drill, run live',
    { kind: 'drill', expiresAt: PAST },
    live,
    'report',
    /expired at .*live \(waiting\): not destroyed \(extend its expiry/,
  ],
  [
    '19.9 expired real DR runner, run live (a standby in use)',
    { kind: 'dr', executionId: 'alarm-7', expiresAt: PAST },
    live,
    'report',
    /not destroyed/,
  ],
  [
    '19.9 expired drill, run 404 (unknown)',
    { kind: 'drill', expiresAt: PAST },
    notFound,
    'report',
    /unknown .*404/,
  ],
  [
    '19.9 expired drill, run 403 (unknown)',
    { kind: 'drill', expiresAt: PAST },
    forbidden,
    'report',
    /unknown .*403/,
  ],
  [
    '19.9 expired drill, run not checked (no token)',
    { kind: 'drill', expiresAt: PAST },
    undefined,
    'report',
    /not checked/,
  ],
  // Before the expiry.
  [
    'drill, run finished',
    { kind: 'drill', expiresAt: FUTURE },
    finished,
    'destroy',
    /run is over: its run is finished/,
  ],
  [
    'drill, run finished, no readable expiry',
    { kind: 'drill', expiresAt: 'soon' },
    finished,
    'destroy',
    /run is over/,
  ],
  [
    'drill, run live (waiting at the gate)',
    { kind: 'drill', expiresAt: FUTURE },
    live,
    'keep',
    /live \(waiting\)/,
  ],
  [
    '19.9 drill, run 404: unknown, not finished',
    { kind: 'drill', expiresAt: FUTURE },
    notFound,
    'report',
    /cannot be checked.*404/,
  ],
  [
    '19.9 drill, run 403: unknown, not finished',
    { kind: 'drill', expiresAt: FUTURE },
    forbidden,
    'report',
    /cannot be checked.*403/,
  ],
  [
    'drill, run not checked (no token)',
    { kind: 'drill', expiresAt: FUTURE },
    undefined,
    'keep',
    /not checked .*kept until its expiry/,
  ],
  [
    'drill no run owns (terminal)',
    { kind: 'drill', runId: 'none', executionId: 'manual-1', expiresAt: FUTURE },
    undefined,
    'keep',
    /no run owns it/,
  ],
  [
    'real DR runner, run finished',
    { kind: 'dr', executionId: 'alarm-7', expiresAt: '2026-12-28T07:00:00Z' },
    finished,
    'keep',
    /torn down by a person/,
  ],
  [
    'unknown kind without an expiry',
    { kind: undefined, expiresAt: undefined },
    finished,
    'keep',
    /without a readable expiry/,
  ],
  [
    'real DR runner with a garbled expiry',
    { kind: 'dr', executionId: 'alarm-7', expiresAt: 'soon' },
    finished,
    'keep',
    /without a readable expiry/,
  ],
  // 19.9: the run-id tag disagrees with the execution id: reported, whatever else holds.
  [
    '19.9 run-id tag disagrees with the execution id',
    { kind: 'drill', executionId: 'drill-7', runId: '8', expiresAt: PAST },
    finished,
    'report',
    /standby-run-id 8 disagrees with execution drill-7/,
  ],
  [
    '19.9 run-id tag none but the execution id names a run',
    { kind: 'drill', executionId: 'drill-7', runId: 'none', expiresAt: PAST },
    undefined,
    'report',
    /says no run .* names run 7/,
  ],
  [
    '19.9 run-id tag that is not a run id',
    { kind: 'drill', executionId: 'drill-7', runId: '12; rm', expiresAt: PAST },
    finished,
    'report',
    /is not a run id/,
  ],
  // 19.9: a serving standby is never touched.
  [
    '19.9 serving standby, expired, run finished',
    { kind: 'dr', executionId: 'alarm-7', serving: 'true', expiresAt: PAST },
    finished,
    'keep',
    /serving standby .*never swept/,
  ],
  [
    '19.9 serving tag garbled',
    { kind: 'drill', serving: 'yes', expiresAt: PAST },
    finished,
    'report',
    /neither true nor false/,
  ],
  [
    'serving tag false is an ordinary runner',
    { kind: 'drill', serving: 'false', expiresAt: PAST },
    finished,
    'destroy',
    /expired at/,
  ],
];

describe('decideRunner: which runners have leaked (one row per observed case)', () => {
  it.each(ROWS)('%s', (_, subject, run, action, why) => {
    const verdict = decideRunner({ executionId: 'drill-7', ...subject }, NOW, run);
    expect(verdict.action).toBe(action);
    expect(verdict.why).toMatch(why);
  });
});

describe('ownershipOf / owningRunId', () => {
  it('takes the standby-run-id tag or the run id in the execution id; none means a terminal run', () => {
    expect(owningRunId({ runId: '4242', executionId: 'manual-x' })).toBe(4242);
    expect(owningRunId({ runId: '7', executionId: 'drill-7' })).toBe(7);
    expect(owningRunId({ executionId: 'drill-7' })).toBe(7);
    expect(owningRunId({ executionId: 'alarm-8' })).toBe(8);
    expect(ownershipOf({ runId: 'none', executionId: 'manual-1' })).toEqual({ kind: 'none' });
    expect(owningRunId({ executionId: 'gh-7-1-failback-plan' })).toBeUndefined();
  });
  it('19.9: a tag that disagrees with the execution id is a conflict, and no run is looked up', () => {
    expect(ownershipOf({ runId: '4242', executionId: 'drill-7' }).kind).toBe('conflict');
    expect(ownershipOf({ runId: 'none', executionId: 'drill-7' }).kind).toBe('conflict');
    expect(ownershipOf({ runId: '12; rm', executionId: 'x' }).kind).toBe('conflict');
    expect(owningRunId({ runId: '4242', executionId: 'drill-7' })).toBeUndefined();
  });
});

describe('lockIsStale: a lock whose holder cannot still be running', () => {
  const lock = (created: string | undefined) => ({
    ID: 'l-1',
    Operation: 'OperationTypeApply',
    Who: 'runner@fv-az',
    Created: created,
  });
  it('is stale when taken before the run that owns the execution ended', () => {
    expect(lockIsStale(lock('2026-11-28T10:59:00Z'), NOW, 120, finished)).toMatchObject({ stale: true });
  });
  it('is not stale because of a finished run when taken after it ended (a teardown run, another sweep)', () => {
    expect(lockIsStale(lock('2026-11-28T11:30:00Z'), NOW, 120, finished)).toMatchObject({ stale: false });
  });
  it('is stale when older than any job may run, even if the run still looks live', () => {
    expect(lockIsStale(lock('2026-11-28T09:59:00Z'), NOW, 120, live)).toMatchObject({
      stale: true,
      why: expect.stringContaining('121 min ago'),
    });
  });
  it('a lock stamped ahead of the sweeper clock is young, not stale', () => {
    expect(lockIsStale(lock('2026-11-28T13:00:00Z'), NOW, 120, live).stale).toBe(false);
  });
  it('is kept while young and its run is live, unknown (404 included) or unchecked', () => {
    for (const run of [live, undefined, notFound, forbidden])
      expect(lockIsStale(lock('2026-11-28T11:30:00Z'), NOW, 120, run).stale).toBe(false);
  });
  it.each([
    ['missing', undefined],
    ['garbled', 'yesterday'],
    ['empty', ''],
  ])('19.9: a lock whose Created is %s is never stale, even when its run is over', (_, created) => {
    const verdict = lockIsStale(lock(created), NOW, 120, finished);
    expect(verdict.stale).toBe(false);
    expect(verdict.why).toMatch(/not judged stale/);
    expect(lockIsStale({ ID: 'x' }, NOW, 120, live).stale).toBe(false);
  });
});

describe('executionOfStateKey', () => {
  it('reads <prefix>/<execution id>.tfstate and nothing else', () => {
    expect(executionOfStateKey('standby/runners', 'standby/runners/drill-7.tfstate')).toBe('drill-7');
    expect(executionOfStateKey('standby/runners/', 'standby/runners/alarm-8.tfstate')).toBe('alarm-8');
    expect(executionOfStateKey('standby/runners', 'standby/runner.tfstate')).toBeUndefined();
    expect(executionOfStateKey('standby/runners', 'standby/runners/a/b.tfstate')).toBeUndefined();
    expect(executionOfStateKey('standby/runners', 'standby/runners/drill-7.tfstate.tflock')).toBeUndefined();
  });
});

describe('the serving record overrules a destroy (issue 20.2)', () => {
  const activate = (status: 'ok' | 'failed', serving: unknown) =>
    ({
      phase: 'activate',
      status,
      outputs: { serving },
      ended_at: '2026-11-01T10:00:00.000Z',
    }) as unknown as Receipt;

  it('only an ok activate receipt that says serving is the record', () => {
    expect(servingActivation([activate('ok', true)])).toBeDefined();
    expect(servingActivation([activate('failed', true)])).toBeUndefined();
    expect(servingActivation([activate('ok', false)])).toBeUndefined();
    expect(servingActivation([activate('ok', 'true')])).toBeUndefined();
  });

  it('turns destroy into keep, naming the record; leaves keep and report alone', () => {
    const record = { uri: 's3://r/p/alarm-1/000009-activate.json', at: '2026-11-01T10:00:00.000Z' };
    expect(overruledByServing({ action: 'destroy', why: 'expired' }, record)).toEqual({
      action: 'keep',
      why: expect.stringContaining(
        'serving standby by its activate receipt (s3://r/p/alarm-1/000009-activate.json',
      ),
    });
    expect(overruledByServing({ action: 'destroy', why: 'expired' }, undefined)).toEqual({
      action: 'destroy',
      why: 'expired',
    });
    expect(overruledByServing({ action: 'report', why: 'x' }, record)).toEqual({
      action: 'report',
      why: 'x',
    });
  });
});
