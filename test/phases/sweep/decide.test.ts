import { describe, expect, it } from '@jest/globals';
import type { RunLookup } from '../../../src/github/run-status.js';
import {
  decideRunner,
  executionOfStateKey,
  lockIsStale,
  owningRunId,
} from '../../../src/phases/sweep/decide.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const live: RunLookup = { state: 'live', status: 'waiting' };
const finished: RunLookup = { state: 'finished', conclusion: 'cancelled' };

describe('decideRunner: which runners have leaked', () => {
  it.each([
    [
      'an expired drill, whatever its run',
      { kind: 'drill', expiresAt: '2026-11-28T11:59:59Z' },
      live,
      'destroy',
      /expired at/,
    ],
    [
      'an expired real DR runner',
      { kind: 'dr', expiresAt: '2026-11-28T12:00:00Z' },
      live,
      'destroy',
      /expired at/,
    ],
    [
      'a drill whose run is over',
      { kind: 'drill', expiresAt: '2026-11-28T15:00:00Z' },
      finished,
      'destroy',
      /run is finished \(cancelled\)/,
    ],
    [
      'a drill whose run is gone',
      { kind: 'drill', expiresAt: '2026-11-28T15:00:00Z' },
      { state: 'missing' },
      'destroy',
      /not found/,
    ],
    [
      'a drill whose run is live (waiting at the gate)',
      { kind: 'drill', expiresAt: '2026-11-28T15:00:00Z' },
      live,
      'keep',
      /live \(waiting\)/,
    ],
    [
      'a drill whose run cannot be checked',
      { kind: 'drill', expiresAt: '2026-11-28T15:00:00Z' },
      { state: 'unknown', detail: '401' },
      'keep',
      /unknown/,
    ],
    [
      'a drill without a run (started from a terminal)',
      { kind: 'drill', expiresAt: '2026-11-28T15:00:00Z' },
      undefined,
      'keep',
      /without a run/,
    ],
    [
      'a real DR runner whose run is over',
      { kind: 'dr', expiresAt: '2026-12-28T07:00:00Z' },
      finished,
      'keep',
      /torn down by a person/,
    ],
    [
      'a runner of unknown kind without an expiry',
      { kind: undefined, expiresAt: undefined },
      finished,
      'keep',
      /without a readable expiry/,
    ],
    [
      'a real DR runner with a garbled expiry',
      { kind: 'dr', expiresAt: 'soon' },
      finished,
      'keep',
      /without a readable expiry/,
    ],
  ])('%s', (_, subject, run, action, why) => {
    const verdict = decideRunner({ executionId: 'x', ...subject }, NOW, run as RunLookup | undefined);
    expect(verdict.action).toBe(action);
    expect(verdict.why).toMatch(why);
  });
});

describe('owningRunId', () => {
  it('takes the standby-run-id tag, else the run id in the execution id; none means a terminal run', () => {
    expect(owningRunId({ runId: '4242', executionId: 'drill-7' })).toBe(4242);
    expect(owningRunId({ executionId: 'drill-7' })).toBe(7);
    expect(owningRunId({ executionId: 'alarm-8' })).toBe(8);
    expect(owningRunId({ runId: 'none', executionId: 'drill-7' })).toBeUndefined();
    expect(owningRunId({ executionId: 'gh-7-1-failback-plan' })).toBeUndefined();
    expect(owningRunId({ runId: '12; rm', executionId: 'x' })).toBeUndefined();
  });
});

describe('lockIsStale: a lock whose holder cannot still be running', () => {
  const lock = (created: string) => ({
    ID: 'l-1',
    Operation: 'OperationTypeApply',
    Who: 'runner@fv-az',
    Created: created,
  });
  it('is stale when the run that took it is over, however young', () => {
    expect(lockIsStale(lock('2026-11-28T11:59:00Z'), NOW, 120, finished)).toMatchObject({ stale: true });
    expect(lockIsStale(lock('2026-11-28T11:59:00Z'), NOW, 120, { state: 'missing' }).stale).toBe(true);
  });
  it('is stale when older than any job may run, even if the run still looks live', () => {
    expect(lockIsStale(lock('2026-11-28T09:59:00Z'), NOW, 120, live)).toMatchObject({
      stale: true,
      why: expect.stringContaining('121 min ago'),
    });
  });
  it('is kept while young and its run is live or unknown', () => {
    expect(lockIsStale(lock('2026-11-28T11:30:00Z'), NOW, 120, live).stale).toBe(false);
    expect(lockIsStale(lock('2026-11-28T11:30:00Z'), NOW, 120, undefined).stale).toBe(false);
    expect(lockIsStale(lock('2026-11-28T11:30:00Z'), NOW, 120, { state: 'unknown', detail: 'x' }).stale).toBe(
      false,
    );
  });
  it('a lock without a readable creation time is stale (Terraform always writes one)', () => {
    expect(lockIsStale({ ID: 'x' }, NOW, 120, live).stale).toBe(true);
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
