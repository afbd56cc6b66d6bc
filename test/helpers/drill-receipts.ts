import { AwsClients } from '../../src/aws/clients.js';
import { DRILL_REQUIRED_PHASES } from '../../src/evidence/bundle.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { currentSource } from '../../src/receipts/source.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { EMULATOR_ACCOUNT } from './emulator.js';
import { actionsEnv } from './golden-bundle.js';
import { receiptDraft } from './receipt-draft.js';

const DAY = 86_400_000;

/**
 * A drill's receipts as drill.yml writes them to AWS (no endpoint override): every pipeline phase, run
 * `runId` of octo/standby (or `repository`), one minute apart, the last ending `daysAgo` days ago (negative:
 * in the future); `status` overrides one phase's status, `outputs` sets one phase's outputs. Stored in bucket `receipts` under standby/receipts (or `prefix`).
 */
export async function seedDrill(
  runId: string,
  daysAgo: number,
  options: {
    status?: Partial<Record<string, Receipt['status']>>;
    repository?: string;
    outputs?: Partial<Record<string, Receipt['outputs']>>;
    /** Another receipts folder (a target's, src/targets/receipts.ts) and the execution id its drill.yml gives. */
    prefix?: string;
    executionId?: string;
  } = {},
): Promise<string> {
  const executionId = options.executionId ?? `drill-${runId}`;
  const env = {
    ...actionsEnv({ runId, workflow: 'octo/standby/.github/workflows/drill.yml@refs/heads/main' }),
    GITHUB_REPOSITORY: options.repository ?? 'octo/standby',
  };
  const store = new S3ReceiptStore(new AwsClients().s3, {
    bucket: 'receipts',
    prefix: options.prefix ?? 'standby/receipts',
    executionId,
  });
  let t = Date.now() - daysAgo * DAY - DRILL_REQUIRED_PHASES.length * 60_000;
  for (const phase of DRILL_REQUIRED_PHASES) {
    const started = new Date(t);
    t += 60_000;
    const status = options.status?.[phase] ?? 'ok';
    await store.write(
      receiptDraft({
        execution_id: executionId,
        phase,
        status,
        started_at: started.toISOString(),
        ended_at: new Date(t).toISOString(),
        duration_ms: 60_000,
        source: currentSource(env),
        aws: { account_id: EMULATOR_ACCOUNT, region: 'us-east-1', endpoint: null },
        error: status === 'ok' ? null : { message: `${phase} failed`, reason: 'error' },
        ...(options.outputs?.[phase] ? { outputs: options.outputs[phase] } : {}),
      }),
    );
  }
  return executionId;
}
