import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import type { ScriptRun } from '../../../src/aws/ssm-runner.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import { activate as activatePhase } from '../../../src/phases/activate/index.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import { S3ReceiptStore } from '../../../src/receipts/store.js';
import { useEmulator } from '../../helpers/emulator.js';
import { receiptDraft } from '../../helpers/receipt-draft.js';
import { RunnerSandbox } from '../../helpers/runner-sandbox.js';

useEmulator();

const INSTANCE = 'i-0123456789abcdef0';

/** A runner that runs the delivered script against the fake k3s of a sandbox (no SSM: the phase logic is under test). */
function sandboxRunner(sandbox: RunnerSandbox, runs: ScriptRun[]) {
  return async (run: ScriptRun) => {
    runs.push(run);
    const { code, stdout, stderr } = sandbox.run(run.script, run.env);
    return {
      commandId: 'cmd-1',
      status: code === 0 ? 'Success' : 'Failed',
      responseCode: code,
      stdout,
      stderr,
      stdoutTruncated: false,
    };
  };
}

async function execution(id: string, promotion?: { status: 'ok' | 'failed'; outcome?: string }) {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  const store = new S3ReceiptStore(s3, { bucket: 'receipts', prefix: 'standby/receipts', executionId: id });
  await store.write(
    receiptDraft({ execution_id: id, phase: 'resolve-runner', outputs: { 'instance-id': INSTANCE } }),
  );
  await store.write(
    receiptDraft({
      execution_id: id,
      phase: 'restore',
      inputs: { namespace: 'jobintel' },
      outputs: { cronjobs: ['jobintel-daily', 'jobintel-hourly'] },
    }),
  );
  if (promotion)
    await store.write(
      receiptDraft({
        execution_id: id,
        phase: 'promote',
        status: promotion.status,
        outputs: promotion.outcome
          ? { 'promotion-status': promotion.outcome, 'decided-by': 'octo-reviewer' }
          : {},
      }),
    );
}

async function activate(
  id: string,
  sandbox: RunnerSandbox,
  runs: ScriptRun[],
  extra: Record<string, string> = {},
) {
  const io = new MemoryIO({ 'execution-id': id, confirm: id, 'receipt-bucket': 'receipts', ...extra });
  return runPhase(activatePhase, io, {
    aws: new AwsClients(),
    env: {},
    scriptRunner: sandboxRunner(sandbox, runs),
  });
}

describe('standby activate', () => {
  it('un-suspends the restored CronJobs after an approval, under its own field manager, and writes a receipt', async () => {
    await execution('dr-101', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const runs: ScriptRun[] = [];
    const { result, receipt } = await activate('dr-101', sandbox, runs);
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({
      activated: ['jobintel-daily', 'jobintel-hourly'],
      'approved-by': 'octo-reviewer',
    });
    expect(runs[0]).toMatchObject({
      script: 'activate.sh',
      instanceId: INSTANCE,
      env: { STANDBY_NAMESPACE: 'jobintel', STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly' },
    });
    const cronjob = sandbox.object('CronJob', 'jobintel', 'jobintel-daily');
    expect(cronjob?.spec.suspend).toBe(false);
    expect(cronjob?.metadata.managedFields.at(-1)).toEqual({
      manager: 'standby-activate',
      operation: 'Update',
    });
    expect(receipt?.receipt).toMatchObject({
      phase: 'activate',
      status: 'ok',
      inputs: { confirm: 'dr-101' },
    });
  });

  it('refuses a rejected promotion, an undecided one and a failed promote, touching nothing', async () => {
    const cases: [string, Parameters<typeof execution>[1], RegExp][] = [
      ['dr-201', { status: 'ok', outcome: 'manual_promotion_rejected' }, /was rejected by octo-reviewer/],
      ['dr-202', undefined, /has no promote receipt/],
      ['dr-203', { status: 'failed' }, /promote receipt with status failed/],
    ];
    for (const [id, promotion, message] of cases) {
      await execution(id, promotion);
      const sandbox = new RunnerSandbox({ cluster: 'restored' });
      const runs: ScriptRun[] = [];
      const { result, receipt } = await activate(id, sandbox, runs);
      expect(result.failure?.reason).toBe('not_approved');
      expect(result.failure?.message).toMatch(message);
      expect(runs).toEqual([]);
      expect(sandbox.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(true);
      expect(receipt?.receipt?.status).toBe('failed');
    }
  });

  it('refuses without the execution id typed again, and for a drill', async () => {
    await execution('dr-301', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    const runs: ScriptRun[] = [];
    const wrong = await activate('dr-301', new RunnerSandbox({ cluster: 'restored' }), runs, {
      confirm: 'dr-30',
    });
    expect(wrong.result.failure).toMatchObject({ reason: 'invalid_input' });
    await execution('drill-302', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    const drill = await activate('drill-302', new RunnerSandbox({ cluster: 'restored' }), runs);
    expect(drill.result.failure?.reason).toBe('drill_execution');
    expect(runs).toEqual([]);
  });

  it('fails closed when a CronJob to activate is not there', async () => {
    await execution('dr-401', { status: 'ok', outcome: 'approved_but_auto_promote_disabled' });
    const runs: ScriptRun[] = [];
    const { result } = await activate('dr-401', new RunnerSandbox({ cluster: 'restored' }), runs, {
      cronjobs: 'jobintel-daily,jobintel-weekly',
    });
    expect(result.failure?.reason).toBe('activation_failed');
    expect(result.failure?.message).toContain('CronJob jobintel-weekly not found in namespace jobintel');
  });
});
