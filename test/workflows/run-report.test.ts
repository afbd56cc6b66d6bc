import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SCRIPT = path.resolve('.github/scripts/run-report.mjs');

function receipt(
  sequence: number,
  phase: string,
  started: string,
  ended: string,
  extra: Record<string, unknown> = {},
) {
  const duration = Date.parse(ended) - Date.parse(started);
  return {
    schema: 'standby.receipt/v1',
    execution_id: 'drill-9',
    phase,
    sequence,
    attempt: 1,
    status: 'ok',
    started_at: started,
    ended_at: ended,
    duration_ms: duration,
    outputs: {},
    error: null,
    ...extra,
  };
}

function runReport(receipts: object[], env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'receipts-'));
  mkdirSync(dir, { recursive: true });
  for (const [i, r] of receipts.entries()) {
    writeFileSync(path.join(dir, `${i}-${(r as { phase: string }).phase}.json`), JSON.stringify(r));
  }
  writeFileSync(path.join(dir, 'not-a-receipt.json'), '{"hello": 1}');
  const run = spawnSync(process.execPath, [SCRIPT, dir], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('run report (final job summary)', () => {
  const chain = [
    receipt(1, 'check-health', '2026-11-22T01:00:00Z', '2026-11-22T01:00:20Z'),
    receipt(2, 'restore-precheck', '2026-11-22T01:00:30Z', '2026-11-22T01:01:00Z', {
      outputs: { 'backup-age-hours': 3.5 },
    }),
    receipt(3, 'bringup', '2026-11-22T01:01:10Z', '2026-11-22T01:09:00Z'),
    receipt(4, 'request-approval', '2026-11-22T01:20:00Z', '2026-11-22T01:20:05Z'),
    receipt(5, 'promote', '2026-11-22T03:00:00Z', '2026-11-22T03:00:02Z', {
      outputs: { 'promotion-status': 'manual_promotion_rejected' },
    }),
  ];

  it('measures RTO from the trigger to approval-ready and RPO from the backup age, with the phase timeline', () => {
    const { status, out } = runReport(chain, {
      EXECUTION_ID: 'drill-9',
      TRIGGER: 'alarm',
      TRIGGERED_AT: '2026-11-22T00:55:00Z',
      JOB_RESULTS: JSON.stringify({ bringup: { result: 'success' }, 'approval-gate': { result: 'failure' } }),
    });
    expect(status).toBe(0);
    expect(out).toContain('## DR run `drill-9` (alarm)');
    expect(out).toContain('| RTO (trigger → approval-ready) | 25m 5s |');
    expect(out).toContain('| RPO (backup age at restore) | 3.5 h |');
    expect(out).toContain('| Promotion | manual_promotion_rejected |');
    expect(out).toMatch(
      /\| 3 \| bringup \| ✅ ok \| 2026-11-22T01:01:10Z \| 2026-11-22T01:09:00Z \| 7m 50s \|/,
    );
    expect(out).toContain('| approval-gate | ❌ failure |');
    expect(out).not.toContain('hello');
  });

  it('starts the clock at the first receipt without a trigger time, and says when approval was never reached', () => {
    const failed = receipt(3, 'bringup', '2026-11-22T01:01:10Z', '2026-11-22T01:02:00Z', {
      status: 'failed',
      error: { message: 'state lock held', reason: 'error' },
    });
    const { out } = runReport([chain[0] as object, chain[1] as object, failed], {
      EXECUTION_ID: 'drill-9',
      TRIGGER: 'drill',
    });
    expect(out).toContain('| RTO (trigger → approval-ready) | not reached |');
    expect(out).toContain('| Trigger time (UTC) | 2026-11-22T01:00:00.000Z |');
    expect(out).toContain('❌ failed (error: state lock held)');
  });

  it('says so when there are no receipts at all', () => {
    const { status, out } = runReport([], { EXECUTION_ID: 'drill-9' });
    expect(status).toBe(0);
    expect(out).toContain('No receipts were found for this execution.');
    expect(out).toContain('| RPO (backup age at restore) | unknown |');
  });
});
