import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { runFailback } from '../../src/failback/run.js';
import { useEmulator } from '../helpers/emulator.js';
import {
  FIXTURE,
  failbackInputs,
  readJson,
  seedPromoted,
  stateVersions,
  writePointer,
} from '../helpers/failback-fixture.js';

useEmulator();

/** The receipts the run wrote, in chain order. */
async function storedReceipts(aws: AwsClients, executionId = 'failback-test') {
  const listed = await aws.s3.send(
    new ListObjectsV2Command({ Bucket: FIXTURE.receipts, Prefix: `standby/receipts/${executionId}/` }),
  );
  const receipts = await Promise.all(
    (listed.Contents ?? [])
      .filter((o) => !o.Key?.includes('/.seq/')) // sequence claims (issue 19.3) are not receipts
      .map(async (o) => (await readJson(aws.s3, FIXTURE.receipts, o.Key as string)).json),
  );
  return receipts.sort((a, b) => Number(a.sequence) - Number(b.sequence));
}

async function receiptSteps(aws: AwsClients) {
  return (await storedReceipts(aws)).map((r) => ({
    phase: r.phase,
    status: r.status,
    step: (r.outputs as { step: string }).step,
  }));
}

describe('failback on the emulator', () => {
  it('a dry run changes nothing: every version and ETag under state/ stays as it was', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const before = await stateVersions(aws.s3);
    expect(before).toHaveLength(6);

    const report = await runFailback(failbackInputs(), { aws });

    expect(report.outcome).toBe('planned');
    expect(await stateVersions(aws.s3)).toEqual(before);
    expect(report.plan.map((c) => [c.key, c.fromRunId, c.toRunId])).toEqual(
      FIXTURE.pointerKeys.map((key) => [key, FIXTURE.dr, FIXTURE.primary]),
    );
    for (const change of report.plan) {
      const latest = before.find((v) => v.key === change.key && v.latest);
      expect(change.etag).toBe(latest?.etag);
      expect(change.versionId).toBe(latest?.versionId);
      expect(change.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await receiptSteps(aws)).toEqual([
      { phase: 'failback-inputs', status: 'ok', step: 'inputs' },
      { phase: 'failback-verify-before', status: 'ok', step: 'verify-before' },
      { phase: 'failback-plan', status: 'ok', step: 'plan' },
      { phase: 'failback-apply', status: 'skipped', step: 'apply' },
      { phase: 'failback-verify-after', status: 'skipped', step: 'verify-after' },
    ]);
  });

  it('apply switches every pointer to the primary run, exactly as planned, and verifies', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const report = await runFailback(failbackInputs({ apply: 'true', confirm: FIXTURE.dr }), { aws });

    expect(report.outcome).toBe('applied');
    for (const change of report.plan) {
      const now = await readJson(aws.s3, FIXTURE.bucket, change.key);
      expect(now.json).toMatchObject({
        run_id: FIXTURE.primary,
        ended_at: '2026-11-20T04:00:00Z',
        failback: { from_run_id: FIXTURE.dr, execution_id: 'failback-test' },
      });
      expect(createHash('sha256').update(now.text).digest('hex')).toBe(change.sha256);
    }
    expect(report.verification?.every((c) => c.ok)).toBe(true);
    expect((await receiptSteps(aws)).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const times = (await storedReceipts(aws)).flatMap((r) => [String(r.started_at), String(r.ended_at)]);
    for (const time of times) expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect([...times].sort()).toEqual(times);
  });

  it('a pointer changed between plan and apply is not overwritten, and the switched ones are rolled back', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const [daily, hourly, global] = FIXTURE.pointerKeys as [string, string, string];
    const dailyBefore = await readJson(aws.s3, FIXTURE.bucket, daily);
    const concurrent = { run_id: 'dr-43', ended_at: '2026-11-21T04:00:00Z' };

    const report = await runFailback(failbackInputs({ apply: 'true', confirm: FIXTURE.dr }), {
      aws,
      beforeApply: async () => writePointer(aws.s3, hourly, concurrent),
    });

    expect(report.outcome).toBe('apply-failed');
    expect(report.apply?.writes.map((w) => [w.key, w.status])).toEqual([
      [daily, 'switched'],
      [hourly, 'conflict'],
      [global, 'not-attempted'],
    ]);
    expect(report.apply?.rollback.map((r) => [r.key, r.status])).toEqual([[daily, 'restored']]);
    expect((await readJson(aws.s3, FIXTURE.bucket, hourly)).json).toEqual(concurrent);
    const dailyAfter = await readJson(aws.s3, FIXTURE.bucket, daily);
    expect(dailyAfter.text).toBe(dailyBefore.text);
    expect(dailyAfter.etag).toBe(dailyBefore.etag);
    expect((await readJson(aws.s3, FIXTURE.bucket, global)).json.run_id).toBe(FIXTURE.dr);
    expect(report.message).toContain(`${hourly}: changed since the plan`);
    expect(report.verification?.map((c) => [c.key, c.ok, c.runId])).toEqual([
      [daily, true, FIXTURE.dr],
      [hourly, true, 'dr-43'],
      [global, true, FIXTURE.dr],
    ]);
    expect((await receiptSteps(aws)).slice(3)).toEqual([
      { phase: 'failback-apply', status: 'failed', step: 'apply' },
      { phase: 'failback-verify-after', status: 'ok', step: 'verify-after' },
    ]);
  });

  it('reports divergence with the differing keys and does not apply it unless accepted', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3, {
      primaryFiles: { 'acme/daily/data.csv': 'a,b\n1,2\n', 'acme/daily/old.csv': 'o', _SUCCESS: '' },
      drFiles: { 'acme/daily/data.csv': 'a,b\n1,2\n3,4\n', 'acme/hourly/data.csv': 'x\n', _SUCCESS: '' },
    });
    const before = await stateVersions(aws.s3);
    const report = await runFailback(failbackInputs({ apply: 'true', confirm: FIXTURE.dr }), { aws });

    expect(report.outcome).toBe('divergent');
    expect(report.divergence.onlyInPrimary).toEqual(['acme/daily/old.csv']);
    expect(report.divergence.onlyInDr).toEqual(['acme/hourly/data.csv']);
    expect(report.divergence.different).toEqual([
      expect.objectContaining({
        key: 'acme/daily/data.csv',
        primary: expect.objectContaining({ size: 8 }),
        dr: expect.objectContaining({ size: 12 }),
      }),
    ]);
    expect(report.message).toContain('--accept-divergence');
    expect(await stateVersions(aws.s3)).toEqual(before);

    const accepted = await runFailback(
      failbackInputs({
        apply: 'true',
        confirm: FIXTURE.dr,
        'accept-divergence': 'true',
        'execution-id': 'failback-2',
      }),
      { aws },
    );
    expect(accepted.outcome).toBe('applied');
  });

  it('refuses before any write when a pointer does not name the DR run, naming each pointer and its run', async () => {
    const aws = new AwsClients();
    const [daily, hourly, global] = FIXTURE.pointerKeys as [string, string, string];
    await seedPromoted(aws.s3, { pointerRunIds: { [hourly]: 'run-40' } });
    const before = await stateVersions(aws.s3);

    const report = await runFailback(failbackInputs({ apply: 'true', confirm: FIXTURE.dr }), { aws });

    expect(report.outcome).toBe('refused');
    expect(report.apply).toBeUndefined();
    expect(await stateVersions(aws.s3)).toEqual(before);
    expect(report.message).toContain(`${hourly} names run 'run-40', not the DR run '${FIXTURE.dr}'`);
    for (const [key, runId] of [
      [daily, FIXTURE.dr],
      [hourly, 'run-40'],
      [global, FIXTURE.dr],
    ])
      expect(report.message).toContain(`${key} → '${runId}'`);
    expect((await receiptSteps(aws)).map((r) => `${r.step}:${r.status}`)).toEqual([
      'inputs:ok',
      'verify-before:failed',
      'plan:skipped',
      'apply:skipped',
      'verify-after:skipped',
    ]);
  });

  it('refuses when the primary run has no published objects under the run prefix', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3, { primaryFiles: {} });
    const report = await runFailback(failbackInputs({ apply: 'true', confirm: FIXTURE.dr }), { aws });
    expect(report.outcome).toBe('refused');
    expect(report.message).toContain(
      `the primary run '${FIXTURE.primary}' has no published objects under batch/runs/${FIXTURE.primary}/`,
    );
  });

  it('with the state digest of the reviewed plan, apply writes only if the pointers are still exactly as planned', async () => {
    const aws = new AwsClients();
    await seedPromoted(aws.s3);
    const plan = await runFailback(failbackInputs(), { aws });
    expect(plan.stateDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await runFailback(failbackInputs({ 'execution-id': 'failback-again' }), { aws })).stateDigest,
    ).toBe(plan.stateDigest);

    // A publisher run rewrites one pointer with the same run id but new content after the review.
    const [daily] = FIXTURE.pointerKeys as [string];
    await writePointer(aws.s3, daily, { run_id: FIXTURE.dr, ended_at: '2026-11-21T04:00:00Z' });
    const before = await stateVersions(aws.s3);
    const apply = { apply: 'true', confirm: FIXTURE.dr, 'execution-id': 'failback-apply' };
    const stale = await runFailback(failbackInputs({ ...apply, 'expect-state-digest': plan.stateDigest }), {
      aws,
    });
    expect(stale.outcome).toBe('refused');
    expect(stale.message).toContain('the pointers changed since the plan that was reviewed');
    expect(await stateVersions(aws.s3)).toEqual(before);

    const fresh = await runFailback(failbackInputs({ ...apply, 'expect-state-digest': stale.stateDigest }), {
      aws,
    });
    expect(fresh.outcome).toBe('applied');
  });
});
