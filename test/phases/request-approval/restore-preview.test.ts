import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../../src/aws/clients.js';
import { MemoryIO } from '../../../src/io/memory-io.js';
import { ensureBucket } from '../../../src/local/demo-publisher.js';
import type { ReviewerSummary } from '../../../src/operator/reviewer-summary.js';
import { requestApproval } from '../../../src/phases/request-approval/index.js';
import { runPhase } from '../../../src/phases/run-phase.js';
import { S3ReceiptStore } from '../../../src/receipts/store.js';
import { useEmulator } from '../../helpers/emulator.js';
import { AFTER, BEFORE, image, plantBackup, restoreReport, seedDrill } from '../../helpers/preview.js';
import { receiptDraft } from '../../helpers/receipt-draft.js';
import { createTopicInbox } from '../../helpers/sns-inbox.js';

/**
 * Issue 23.4: before the gate, the reviewer summary lists what the restore applies (the restore's own
 * plan over the backup's manifests) and how it differs from the last verified drill's restore.
 */
const emulator = useEmulator();

const EXECUTION = 'drill-5001';

beforeEach(async () => {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: 'receipts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
});

/** This execution's receipts up to the gate: the backup chosen, the restore's inputs, a passed validation. */
async function seedExecution(backupUri: string, restoreInputs: Record<string, string>) {
  const store = new S3ReceiptStore(new AwsClients().s3, {
    bucket: 'receipts',
    prefix: 'standby/receipts',
    executionId: EXECUTION,
  });
  const draft = (phase: 'restore-precheck' | 'restore' | 'validate', minute: number, rest: object) =>
    receiptDraft({ execution_id: EXECUTION, phase, started_at: `2026-11-22T01:${minute}:00.000Z`, ...rest });
  await store.write(draft('restore-precheck', 10, { outputs: { 'backup-uri': backupUri } }));
  await store.write(draft('restore', 12, { inputs: restoreInputs, outputs: {} }));
  await store.write(draft('validate', 20, { outputs: { result: 'passed' } }));
}

async function requestApprovalRun(topicArn?: string) {
  const io = new MemoryIO({
    'execution-id': EXECUTION,
    'receipt-bucket': 'receipts',
    ...(topicArn ? { 'topic-arn': topicArn } : {}),
  });
  const { result } = await runPhase(requestApproval, io, {
    aws: new AwsClients(),
    env: { GITHUB_RUN_ID: '5001' },
  });
  return { result, io, summary: JSON.parse(io.outputs['summary-json'] ?? '{}') as ReviewerSummary };
}

describe('request-approval shows the restore preview (issue 23.4)', () => {
  it('lists what the restore applies and the diff against the last verified drill, in the summary and its JSON', async () => {
    await seedDrill('4001', 3, restoreReport(BEFORE));
    const backup = await plantBackup(AFTER);
    await seedExecution(backup.uri, { namespace: 'jobintel', 'state-claim': 'jobintel-state' });
    const inbox = await createTopicInbox(emulator.endpoint);
    const { result, io, summary } = await requestApprovalRun(inbox.topicArn);
    expect(result.status).toBe('ok');
    const shown = summary.restore_preview;
    if (!shown || !('preview' in shown)) throw new Error(`no preview: ${JSON.stringify(shown)}`);
    const plan = shown.preview.plan;
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.objects.map((o) => o.id)).toEqual(expect.arrayContaining(['Deployment/jobintel/web']));
    expect(shown.preview.diff).toMatchObject({
      against: 'drill-4001',
      added: ['ConfigMap/jobintel/settings'],
      removed: ['ConfigMap/jobintel/legacy'],
      changed_images: [
        { object: 'Deployment/jobintel/web', before: [image('a')], after: [image('b'), image('c')] },
      ],
    });
    const markdown = io.summaries.join('\n');
    expect(markdown).toContain(`**Restore preview** of \`${backup.uri}`);
    expect(markdown).toContain('replicas 2 (held at 0)');
    expect(markdown).toContain('State claim `jobintel-state`: 2Gi');
    expect(markdown).toContain('**Against the last verified restore** (`drill-4001`)');
    // The notification carries the count and the diff, not every object (SNS holds 256 KiB at most).
    const [message] = await inbox.received();
    const notified = JSON.parse(message?.Message ?? '{}').details.restore_preview;
    expect(notified).toMatchObject({ objects: plan.objects.length, diff: { against: 'drill-4001' } });
    expect(notified.plan).toBeUndefined();
  });

  it('says why there is no preview, and still asks for approval', async () => {
    await seedExecution('s3://receipts/nothing/backups/bk-1', {
      namespace: 'jobintel',
      'state-claim': 'jobintel-state',
    });
    const { result, io, summary } = await requestApprovalRun();
    expect(result.status).toBe('ok');
    expect(summary.restore_preview).toEqual({ unavailable: expect.stringMatching(/^backup_missing: /) });
    expect(io.summaries.join('\n')).toContain('**Restore preview** unavailable: backup_missing');
    expect(io.logs.some((line) => line.startsWith('warning: no restore preview: backup_missing'))).toBe(true);
  });
});
