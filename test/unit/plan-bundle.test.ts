import { describe, expect, it } from '@jest/globals';
import { buildPlanBundle } from '../../src/evidence/plan-bundle.js';
import { canonicalJson, projectReceipt } from '../../src/evidence/plan-projection.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import type { StoredReceipt } from '../../src/receipts/store.js';
import { plannedChanges } from '../../src/terraform/plan-changes.js';
import { receiptDraft } from '../helpers/receipt-draft.js';

function receipt(
  phase: Receipt['phase'],
  outputs: Record<string, unknown>,
  at: string,
  attempt = 1,
): Receipt {
  const draft = receiptDraft({ execution_id: 'plan-1', phase, started_at: at, duration_ms: 5, outputs });
  return {
    ...draft,
    inputs: { 'publish-bucket': 'pub' },
    source: { ...draft.source, actor: 'me' },
    attempt,
    sequence: 1,
    previous: null,
  };
}
const stored = (r: Receipt): StoredReceipt => ({
  key: `k/${r.phase}.json`,
  uri: `s3://b/k/${r.phase}.json`,
  sha256: 'f'.repeat(64),
  bytes: 1,
  body: Buffer.from(''),
  receipt: r,
});

describe('plan bundle', () => {
  const health = (at: string, age: number) =>
    receipt(
      'check-health',
      {
        'needs-dr': true,
        'freshness-hours': age,
        reasons: [{ code: 'stale', subject: 'global', message: `${age} h old` }],
      },
      at,
    );

  it('keeps wall-clock values (ages, reason texts, timestamps) out of the hashed content', () => {
    const a = projectReceipt(health('2026-11-22T01:00:00.000Z', 54.01));
    const b = projectReceipt(health('2026-11-22T02:00:00.000Z', 55.02));
    expect(canonicalJson(a.content)).toBe(canonicalJson(b.content));
    expect(a.content.outputs).toEqual({ 'needs-dr': true, reasons: [{ code: 'stale', subject: 'global' }] });
    expect(a.volatile).toMatchObject({ 'freshness-hours': 54.01, started_at: '2026-11-22T01:00:00.000Z' });
  });

  it('gives byte-identical manifests for the same decisions at different times, and a different one when a decision changes', () => {
    const first = buildPlanBundle('plan-1', [stored(health('2026-11-22T01:00:00.000Z', 54))]);
    const second = buildPlanBundle('plan-1', [stored(health('2026-11-22T03:00:00.000Z', 56))]);
    const manifest = (bundle: typeof first) =>
      bundle.files.find((f) => f.path === 'plan-manifest.json')?.body.toString();
    expect(manifest(first)).toBe(manifest(second));
    expect(
      first.files
        .find((f) => f.path === 'run-record.json')
        ?.body.equals(second.files.find((f) => f.path === 'run-record.json')?.body as Buffer),
    ).toBe(false);
    const healthy = buildPlanBundle('plan-1', [
      stored(receipt('check-health', { 'needs-dr': false }, '2026-11-22T01:00:00.000Z')),
    ]);
    expect(manifest(healthy)).not.toBe(manifest(first));
    expect(first.missing).toEqual(['restore-precheck', 'bringup']);
  });

  it('takes the newest attempt of a phase', () => {
    const bundle = buildPlanBundle('plan-1', [
      stored(receipt('check-health', { 'needs-dr': true }, '2026-11-22T01:00:00.000Z', 1)),
      {
        ...stored(receipt('check-health', { 'needs-dr': false }, '2026-11-22T01:05:00.000Z', 2)),
        key: 'k/check-health.attempt-2.json',
      },
    ]);
    expect(
      JSON.parse(bundle.files.find((f) => f.path === 'plan/check-health.json')?.body.toString() ?? '{}')
        .outputs,
    ).toEqual({ 'needs-dr': false });
  });
});

describe('plannedChanges', () => {
  it('sorts changes by address, drops no-ops, and refuses text that is not JSON', () => {
    const json = JSON.stringify({
      resource_changes: [
        { address: 'b.x', change: { actions: ['delete', 'create'] } },
        { address: 'a.y', change: { actions: ['no-op'] } },
        { address: 'a.x', change: { actions: ['update'] } },
      ],
    });
    expect(plannedChanges(json)).toEqual([
      { address: 'a.x', actions: ['update'] },
      { address: 'b.x', actions: ['delete', 'create'] },
    ]);
    expect(() => plannedChanges('Plan: 1 to add')).toThrow('terraform show -json did not print JSON');
  });
});
