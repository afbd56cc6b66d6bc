import { describe, expect, it } from '@jest/globals';
import { openExecutions, targetHealth } from '../../src/operator/target-status.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { declaredTargetNames } from '../../src/targets/declared.js';
import { targetReceiptPrefix } from '../../src/targets/receipts.js';
import { receiptDraft } from '../helpers/receipt-draft.js';

// The decisions behind `standby status --targets` (src/operator/target-status.ts), apart from S3.

const receipt = (fields: Partial<Receipt> & Pick<Receipt, 'execution_id' | 'phase'>): Receipt =>
  ({ ...receiptDraft(fields), attempt: 1, sequence: 1, previous: null }) as Receipt;

describe('targetHealth: from the newest check-health receipt', () => {
  it('healthy, needs DR (with the reason codes), check failed, unknown', () => {
    const check = (status: Receipt['status'], outputs: Record<string, unknown>) =>
      targetHealth(receipt({ execution_id: 'freshness-1', phase: 'check-health', status, outputs }));
    expect(check('ok', { 'needs-dr': false, 'freshness-hours': 2 })).toMatchObject({
      state: 'healthy',
      freshnessHours: 2,
      reasons: [],
    });
    expect(
      check('ok', {
        'needs-dr': true,
        'freshness-hours': 40,
        reasons: [{ code: 'stale' }, { code: 'marker_missing' }],
      }),
    ).toMatchObject({ state: 'needs-dr', reasons: ['stale', 'marker_missing'] });
    // "needs-dr" must be the boolean true: a string is not a decision.
    expect(check('ok', { 'needs-dr': 'true' }).state).toBe('healthy');
    expect(check('failed', {}).state).toBe('check-failed');
    expect(targetHealth(undefined)).toMatchObject({ state: 'unknown', executionId: null });
  });
});

describe('openExecutions: bringup applied and no successful teardown', () => {
  const bringup = (id: string, fields: Partial<Receipt> = {}) =>
    receipt({
      execution_id: id,
      phase: 'bringup',
      inputs: { kind: 'drill' },
      ended_at: '2026-12-04T01:00:00Z',
      ...fields,
    });
  const teardown = (id: string, status: Receipt['status']) =>
    receipt({ execution_id: id, phase: 'teardown', status });

  it('keeps the standbys still up, newest first', () => {
    const open = openExecutions({
      executions: [
        { executionId: 'drill-1', bringup: bringup('drill-1'), teardown: teardown('drill-1', 'ok') },
        { executionId: 'drill-2', bringup: bringup('drill-2'), teardown: teardown('drill-2', 'failed') },
        { executionId: 'drill-3', bringup: bringup('drill-3', { status: 'failed' }) },
        {
          executionId: 'drill-4',
          bringup: bringup('drill-4', { inputs: { kind: 'drill', 'plan-only': true } }),
        },
        {
          executionId: 'alarm-5',
          bringup: bringup('alarm-5', { inputs: { kind: 'dr' }, ended_at: '2026-12-04T02:00:00Z' }),
          newest: receipt({ execution_id: 'alarm-5', phase: 'activate' }),
        },
      ],
    });
    expect(open.map((e) => [e.executionId, e.kind, e.lastPhase])).toEqual([
      ['alarm-5', 'dr', 'activate'],
      ['drill-2', 'drill', null],
    ]);
  });
});

describe('the targets a deployment declares (STANDBY_TARGETS)', () => {
  it('reads the names Terraform writes; none is the one target default', () => {
    expect(declaredTargetNames('STANDBY_TARGETS', '{"names":["orders","search"],"targets":{}}')).toEqual([
      'orders',
      'search',
    ]);
    expect(declaredTargetNames('STANDBY_TARGETS', undefined)).toEqual(['default']);
    expect(declaredTargetNames('STANDBY_TARGETS', '  ')).toEqual(['default']);
  });

  it.each([
    ['not JSON', '{names', /is not JSON/],
    ['no names', '{"targets":{}}', /no list of target names/],
    ['an empty list', '{"names":[]}', /no list of target names/],
    ['a bad name', '{"names":["Orders"]}', /not a target name/],
    ['a name twice', '{"names":["a","a"]}', /names a target twice/],
  ])('refuses %s', (_, raw, message) => {
    expect(() => declaredTargetNames('STANDBY_TARGETS', raw)).toThrow(message);
  });
});

describe('targetReceiptPrefix', () => {
  it('default keeps the deployment prefix; another target has its own folder under it', () => {
    expect(targetReceiptPrefix('standby/receipts', 'default')).toBe('standby/receipts');
    expect(targetReceiptPrefix('standby/receipts', 'orders')).toBe('standby/receipts/targets/orders');
    expect(targetReceiptPrefix('', 'orders')).toBe('targets/orders');
  });
});
