import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { failure } from '../../src/phases/failure/index.js';
import { notify } from '../../src/phases/notify/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { createTopicInbox } from '../helpers/sns-inbox.js';

/**
 * Every output path of a phase carries the one sanitiser: the receipt, the job summary, the step outputs,
 * the failure message, the phase's own log lines and the SNS notification.
 */
const emulator = useEmulator();
const BUCKET = 'standby-receipts';
const EXECUTION = 'drill-77';
const SECRETS = {
  github: 'ghs_SecretInstallationToken0123456789ab',
  webhook: 'webhookSecret9876',
  password: 'db-pass-4321',
  signature: 'a1b2c3'.repeat(10).slice(0, 64),
};

function leaksIn(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

async function everything(io: MemoryIO, store: S3ReceiptStore, messages: string[]) {
  const receipts = await store.list();
  return [
    ...receipts.map((r) => r.body.toString()),
    ...io.summaries,
    ...io.logs,
    io.failure ?? '',
    JSON.stringify(io.outputs),
    ...messages,
  ].join('\n');
}

describe('no secret reaches any output of a phase', () => {
  it('notify: details with secrets are sanitised in the SNS message, the summary, the outputs and the receipt', async () => {
    const aws = new AwsClients();
    await ensureBucket(aws.s3, BUCKET);
    const store = new S3ReceiptStore(aws.s3, {
      bucket: BUCKET,
      prefix: 'standby/receipts',
      executionId: EXECUTION,
    });
    const inbox = await createTopicInbox(emulator.endpoint);
    const io = new MemoryIO({
      'execution-id': EXECUTION,
      'receipt-bucket': BUCKET,
      'topic-arn': inbox.topicArn,
      event: 'validated',
      details: JSON.stringify({
        dashboard: `https://grafana.example.com/d/x?token=${SECRETS.webhook}`,
        db: `postgres://svc:${SECRETS.password}@db:5432/app`,
        note: `installed with ${SECRETS.github}`,
      }),
    });
    const { result } = await runPhase(notify, io, { aws });
    expect(result.status).toBe('ok');
    const messages = (await inbox.received()).map((m) => m.Message);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0] as string).details).toEqual({
      dashboard: 'https://grafana.example.com/d/x?token=[redacted]',
      db: 'postgres://svc:[redacted]@db:5432/app',
      note: 'installed with [redacted]',
    });
    expect(io.summaries.join('\n')).toContain('https://grafana.example.com/d/x?token=[redacted]');
    expect(leaksIn(await everything(io, store, messages))).toEqual([]);
  });

  it('failure: an error with a presigned URL in the failed receipt stays out of the failure report and its notification', async () => {
    const aws = new AwsClients();
    await ensureBucket(aws.s3, BUCKET);
    const store = new S3ReceiptStore(aws.s3, {
      bucket: BUCKET,
      prefix: 'standby/receipts',
      executionId: EXECUTION,
    });
    const inbox = await createTopicInbox(emulator.endpoint);
    // A receipt written by an older version, before the store sanitised: the failure path must not echo it.
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `standby/receipts/${EXECUTION}/restore.json`,
        Body: JSON.stringify({
          attempt: 1,
          sequence: 1,
          previous: null,
          ...receiptDraft({
            execution_id: EXECUTION,
            phase: 'restore',
            status: 'failed',
            error: {
              message: `AccessDenied for https://b.s3.amazonaws.com/k?X-Amz-Signature=${SECRETS.signature} (${SECRETS.github})`,
              reason: 'error',
            },
          }),
        }),
      }),
    );
    const io = new MemoryIO({
      'execution-id': EXECUTION,
      'receipt-bucket': BUCKET,
      'topic-arn': inbox.topicArn,
      'job-results': JSON.stringify({ restore: { result: 'failure' } }),
    });
    await runPhase(failure, io, { aws });
    const messages = (await inbox.received()).map((m) => m.Message);
    const written = (await store.list()).filter((r) => !r.key.endsWith('/restore.json'));
    const text = [
      ...written.map((r) => r.body.toString()),
      ...io.summaries,
      ...io.logs,
      io.failure ?? '',
      JSON.stringify(io.outputs),
      ...messages,
    ].join('\n');
    expect(messages.length).toBeGreaterThan(0);
    expect(io.outputs.message).toBe(
      'AccessDenied for https://b.s3.amazonaws.com/k?X-Amz-Signature=[redacted] ([redacted])',
    );
    expect(leaksIn(text)).toEqual([]);
  });
});
