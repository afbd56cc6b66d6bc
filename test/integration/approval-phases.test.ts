import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { failure } from '../../src/phases/failure/index.js';
import { notify } from '../../src/phases/notify/index.js';
import { requestApproval } from '../../src/phases/request-approval/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { type ReceiptDraft, S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { createTopicInbox } from '../helpers/sns-inbox.js';

const emulator = useEmulator();
const BUCKET = 'standby-receipts';
const EXECUTION = 'drill-20261122';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const env = { GITHUB_RUN_ID: '42' };

function common(extra: Record<string, string>): Record<string, string> {
  return {
    'execution-id': EXECUTION,
    'receipt-bucket': BUCKET,
    'run-url': 'https://github.com/octo-org/octo-repo/actions/runs/42',
    ...extra,
  };
}

async function setup() {
  const aws = new AwsClients();
  await ensureBucket(aws.s3, BUCKET);
  const store = new S3ReceiptStore(aws.s3, {
    bucket: BUCKET,
    prefix: 'standby/receipts',
    executionId: EXECUTION,
  });
  const inbox = await createTopicInbox(emulator.endpoint);
  return { aws, store, inbox };
}

function draft(
  phase: ReceiptDraft['phase'],
  started: string,
  outputs: Record<string, unknown>,
  extra: Partial<ReceiptDraft> = {},
): ReceiptDraft {
  return receiptDraft({ execution_id: EXECUTION, phase, started_at: started, outputs, ...extra });
}

/** The receipts a drill leaves before request-approval: precheck, runner, restore, validate. */
async function seedPipeline(store: S3ReceiptStore) {
  await store.write(draft('check-health', '2026-11-22T01:00:00.000Z', { 'needs-dr': true }));
  await store.write(
    draft('restore-precheck', '2026-11-22T01:01:00.000Z', {
      'backup-uri': 's3://backups/prod/backups/20261121T2300Z',
      'backup-id': '20261121T2300Z',
      'backup-created-utc': '2026-11-21T23:00:00Z',
      'backup-age-hours': 2.02,
    }),
  );
  await store.write(
    draft('resolve-runner', '2026-11-22T01:10:00.000Z', {
      'instance-id': 'i-0123456789abcdef0',
      'agent-status': 'Online',
    }),
  );
  await store.write(draft('restore', '2026-11-22T01:12:00.000Z', { 'files-restored': 12 }));
  await store.write(
    draft(
      'validate',
      '2026-11-22T01:20:00.000Z',
      { result: 'passed', 'job-run-id': 'batch-manual-7x2' },
      {
        inputs: { 'image-ref': `registry.example.com/batch@${DIGEST}` },
      },
    ),
  );
}

describe('notify on the emulator', () => {
  it('publishes a structured JSON message with the event, a subject and filterable attributes', async () => {
    const { aws, store, inbox } = await setup();
    const io = new MemoryIO(
      common({
        event: 'validated',
        'topic-arn': inbox.topicArn,
        details: '{"instance_id":"i-0123456789abcdef0"}',
      }),
    );
    const { result, receipt } = await runPhase(notify, io, {
      aws,
      env,
      now: () => new Date('2026-11-22T01:30:00Z'),
    });
    expect(result.status).toBe('ok');
    expect(io.outputs.notified).toBe('true');

    const [message] = await inbox.received();
    expect(message?.Subject).toBe(`[standby] DR standby validated: ${EXECUTION}`);
    expect(message?.MessageAttributes?.event?.Value).toBe('validated');
    const body = JSON.parse(message?.Message ?? '{}');
    expect(body).toMatchObject({
      schema: 'standby.notification/v1',
      event: 'validated',
      execution_id: EXECUTION,
      sent_at: '2026-11-22T01:30:00.000Z',
      run_url: 'https://github.com/octo-org/octo-repo/actions/runs/42',
      details: { instance_id: 'i-0123456789abcdef0' },
    });
    expect(io.outputs['message-id']).not.toBe('');
    expect(receipt?.receipt?.outputs.notified).toBe(true);
    expect((await store.list()).map((r) => r.key)).toEqual([`standby/receipts/${EXECUTION}/notify.json`]);
  });

  it('with no topic configured: reports it in the summary, sends nothing, and is not an error', async () => {
    const { aws, inbox } = await setup();
    const io = new MemoryIO(common({ event: 'drill-complete' }));
    const { result } = await runPhase(notify, io, { aws, env });
    expect(result.status).toBe('ok');
    expect(io.outputs.notified).toBe('false');
    expect(io.summaries.join('\n')).toContain('No SNS topic configured');
    expect(await inbox.received()).toHaveLength(0);
  });

  it('an unknown event is an input error naming the input, with a failed receipt', async () => {
    const { aws, store } = await setup();
    const io = new MemoryIO(common({ event: 'done' }));
    const { result } = await runPhase(notify, io, { aws, env });
    expect(result.failure?.reason).toBe('invalid_input');
    expect(io.failure).toContain("input 'event'");
    expect((await store.list())[0]?.receipt?.status).toBe('failed');
  });
});

describe('request-approval on the emulator', () => {
  it("builds the reviewer summary from the execution's receipts, into the summary and the notification", async () => {
    const { aws, store, inbox } = await setup();
    await seedPipeline(store);
    const io = new MemoryIO(
      common({
        'topic-arn': inbox.topicArn,
        'release-metadata': '{"version":"2026.11.3","commit":"4f2a9c1"}',
      }),
    );
    const { result } = await runPhase(requestApproval, io, {
      aws,
      env,
      now: () => new Date('2026-11-22T01:25:00Z'),
    });
    expect(result.status).toBe('ok');

    const summary = JSON.parse(io.outputs['summary-json'] ?? '{}');
    expect(summary).toMatchObject({
      environment: 'dr-promotion',
      instance_id: 'i-0123456789abcdef0',
      image_digest: DIGEST,
      release_metadata: { version: '2026.11.3', commit: '4f2a9c1' },
      backup: {
        uri: 's3://backups/prod/backups/20261121T2300Z',
        age_hours: 2.02,
        created_utc: '2026-11-21T23:00:00Z',
      },
      validation: { result: 'passed', job_run_id: 'batch-manual-7x2' },
      rto_seconds: 25 * 60,
      rpo_hours: 2.02,
      missing: [],
    });
    expect(summary.receipts.map((r: { phase: string }) => r.phase)).toEqual([
      'check-health',
      'restore-precheck',
      'resolve-runner',
      'restore',
      'validate',
    ]);
    expect(summary.receipts[1].console_url).toContain('s3.console.aws.amazon.com');
    expect(io.outputs['rto-seconds']).toBe('1500');

    const markdown = io.summaries.join('\n');
    for (const fact of [
      'i-0123456789abcdef0',
      DIGEST,
      's3://backups/prod/backups/20261121T2300Z',
      '2.02 h',
      'passed',
      '25m 0s',
      '2026.11.3',
    ]) {
      expect(markdown).toContain(fact);
    }
    const [message] = await inbox.received();
    expect(message?.Subject).toBe(`[standby] DR promotion awaiting approval: ${EXECUTION}`);
    expect(JSON.parse(message?.Message ?? '{}').details.backup.uri).toBe(
      's3://backups/prod/backups/20261121T2300Z',
    );
  });

  it('starts the RTO clock at triggered-at (the alarm time) when given', async () => {
    const { aws, store } = await setup();
    await seedPipeline(store);
    const io = new MemoryIO(common({ 'triggered-at': '2026-11-22T00:55:00+00:00' }));
    await runPhase(requestApproval, io, { aws, env, now: () => new Date('2026-11-22T01:25:00Z') });
    expect(io.outputs['rto-seconds']).toBe('1800');
  });

  it('tells reviewers which evidence is missing instead of guessing', async () => {
    const { aws, store } = await setup();
    await store.write(draft('check-health', '2026-11-22T01:00:00.000Z', {}));
    const io = new MemoryIO(common({}));
    const { result } = await runPhase(requestApproval, io, { aws, env });
    expect(result.status).toBe('ok');
    expect(io.summaries.join('\n')).toContain(
      'Missing evidence**: no receipt for restore-precheck, resolve-runner, restore, validate',
    );
    expect(io.logs.some((line) => line.startsWith('warning: no receipt for'))).toBe(true);
  });

  it('refuses to ask for approval of a standby whose validation failed', async () => {
    const { aws, store } = await setup();
    await store.write(draft('validate', '2026-11-22T01:20:00.000Z', { result: 'failed' }));
    const io = new MemoryIO(common({}));
    const { result } = await runPhase(requestApproval, io, { aws, env });
    expect(result.failure?.reason).toBe('validation_not_passed');
  });
});

describe('failure handler on the emulator', () => {
  it('writes a failure receipt and a failure notification naming phase, error and reason; the success message stays', async () => {
    const { aws, store, inbox } = await setup();
    await store.write(draft('check-health', '2026-11-22T01:00:00.000Z', {}));
    await runPhase(notify, new MemoryIO(common({ event: 'validated', 'topic-arn': inbox.topicArn })), {
      aws,
      env,
    });
    await store.write(
      draft(
        'restore',
        '2026-11-22T01:12:00.000Z',
        {},
        { status: 'failed', error: { message: 'sha256 mismatch on state.tar.zst', reason: 'integrity' } },
      ),
    );
    const needs = {
      'check-health': { result: 'success', outputs: {} },
      bringup: { result: 'success' },
      restore: { result: 'failure' },
    };
    const io = new MemoryIO(common({ 'topic-arn': inbox.topicArn, 'job-results': JSON.stringify(needs) }));
    const { result, receipt } = await runPhase(failure, io, { aws, env });

    expect(result.status).toBe('ok');
    expect(receipt?.key).toBe(`standby/receipts/${EXECUTION}/failure.json`);
    expect(receipt?.receipt?.outputs).toMatchObject({
      'failed-phase': 'restore',
      reason: 'integrity',
      message: 'sha256 mismatch on state.tar.zst',
    });

    const messages = await inbox.received();
    expect(messages.map((m) => m.Subject)).toEqual([
      `[standby] DR standby validated: ${EXECUTION}`,
      `[standby] DR run FAILED: ${EXECUTION}`,
    ]);
    const body = JSON.parse(messages[1]?.Message ?? '{}');
    expect(body).toMatchObject({
      event: 'failed',
      details: { failed_phase: 'restore', reason: 'integrity', error: 'sha256 mismatch on state.tar.zst' },
    });
    expect((await store.list()).map((r) => r.key.split('/').pop())).toEqual([
      'check-health.json',
      'failure.json',
      'notify.json',
      'restore.json',
    ]);
  });
});
