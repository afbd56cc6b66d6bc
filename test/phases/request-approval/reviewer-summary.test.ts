import { describe, expect, it } from '@jest/globals';
import { buildReviewerSummary } from '../../../src/phases/request-approval/evidence.js';
import { renderReviewerSummary } from '../../../src/phases/request-approval/render.js';
import type { Receipt } from '../../../src/receipts/envelope.js';
import type { StoredReceipt } from '../../../src/receipts/store.js';

function stored(phase: Receipt['phase'], sequence: number, fields: Partial<Receipt> = {}): StoredReceipt {
  const receipt = {
    phase,
    sequence,
    attempt: 1,
    status: 'ok',
    started_at: `2026-11-22T01:0${sequence}:00.000Z`,
    ended_at: `2026-11-22T01:0${sequence}:30.000Z`,
    duration_ms: 30_000,
    aws: { account_id: '123456789012', region: 'eu-west-1', endpoint: null },
    inputs: {},
    outputs: {},
    error: null,
    ...fields,
  } as Receipt;
  return {
    key: `p/x/${phase}-${sequence}.json`,
    uri: `s3://r/p/x/${phase}-${sequence}.json`,
    sha256: 'c'.repeat(64),
    bytes: 1,
    body: Buffer.from(''),
    receipt,
  };
}

const context = {
  executionId: 'x',
  environment: 'dr-promotion',
  releaseMetadata: {},
  now: new Date('2026-11-22T01:10:00Z'),
};

describe('reviewer summary', () => {
  it('lists what the restore holds until activation (issue 20.4)', () => {
    const summary = buildReviewerSummary(
      [
        stored('restore', 1, {
          outputs: { held: ['Deployment/web', 'Job/preflight', 'CronJob/jobintel-daily'] },
        }),
      ],
      context,
    );
    expect(summary.held).toEqual(['Deployment/web', 'Job/preflight', 'CronJob/jobintel-daily']);
    expect(renderReviewerSummary(summary)).toContain(
      '| Held until activation | 3: Deployment/web, Job/preflight, CronJob/jobintel-daily (nothing runs by itself before activation) |',
    );
  });

  it("shows the drill's cost so far: the runner counted up to the summary, since teardown has not run", () => {
    const us = { account_id: '123456789012', region: 'us-east-1', endpoint: null };
    const summary = buildReviewerSummary(
      [
        stored('bringup', 1, {
          aws: us,
          started_at: '2026-11-22T00:10:00.000Z',
          outputs: { 'instance-type': 't4g.large', 'root-volume-gb': 36 },
        }),
      ],
      context, // now 01:10: the runner has been up exactly 1 h
    );
    // 1 h x $0.0672 + 36 GB-h / 720 x $0.08 = $0.0672 + $0.004 = $0.0712 (pinned us-east-1 prices)
    expect(summary.cost_so_far).toMatchObject({ status: 'priced', total_usd: 0.0712 });
    expect(renderReviewerSummary(summary)).toContain(
      `| Cost so far (runner counted to now) | $0.0712: t4g.large, 1 instance-hours (prices of ${summary.cost_so_far?.price_table.date}) |`,
    );
    // eu-west-1 is not in the pinned table: unpriced, with the reason, not a us-east-1 guess.
    const eu = buildReviewerSummary(
      [stored('bringup', 1, { outputs: { 'instance-type': 't4g.large', 'root-volume-gb': 36 } })],
      context,
    );
    expect(renderReviewerSummary(eu)).toContain('unpriced (region eu-west-1 is not in the price table');
  });

  it('uses the latest attempt of a retried phase', () => {
    const summary = buildReviewerSummary(
      [
        stored('validate', 1, { status: 'failed', outputs: { result: 'failed' } }),
        stored('validate', 2, { attempt: 2, outputs: { result: 'passed', 'job-run-id': 'run-2' } }),
      ],
      context,
    );
    expect(summary.validation).toEqual({ result: 'passed', job_run_id: 'run-2' });
    expect(summary.timeline.map((t) => t.phase)).toEqual(['validate']);
  });

  it('flags an image without a digest, and leaves RPO unknown without a precheck receipt', () => {
    const summary = buildReviewerSummary([stored('check-health', 1)], {
      ...context,
      imageRef: 'registry.example.com/batch:latest',
    });
    expect(summary.image_digest).toBeNull();
    expect(summary.rpo_hours).toBeNull();
    expect(summary.rto_seconds).toBe(540); // first receipt started 01:01, now 01:10
    expect(renderReviewerSummary(summary)).toContain('not pinned by digest');
  });

  it("shows the images the chosen backup's manifests reference, from restore-precheck's receipt", () => {
    const digest = `registry.example.com/batch@sha256:${'a'.repeat(64)}`;
    const summary = buildReviewerSummary(
      [
        stored('restore-precheck', 1, {
          outputs: { 'backup-uri': 's3://b/p/backups/2026-11-22T00-00-00Z/', 'image-digests': [digest] },
        }),
      ],
      context,
    );
    expect(summary.backup.image_digests).toEqual([digest]);
    expect(renderReviewerSummary(summary)).toContain(`| Images in the backup | \`${digest}\` |`);

    const none = buildReviewerSummary(
      [stored('restore-precheck', 1, { outputs: { 'backup-uri': 's3://b/p/backups/x/' } })],
      context,
    );
    expect(none.backup.image_digests).toEqual([]);
    expect(renderReviewerSummary(none)).toContain(
      '| Images in the backup | none recorded in metadata.json |',
    );
  });

  it('links receipts to the AWS console only when they were written to real AWS', () => {
    const real = buildReviewerSummary([stored('check-health', 1)], context).receipts[0];
    expect(real?.console_url).toBe(
      'https://s3.console.aws.amazon.com/s3/object/r?region=eu-west-1&prefix=p%2Fx%2Fcheck-health-1.json',
    );
    const emulated = stored('check-health', 1, {
      aws: { account_id: null, region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' },
    });
    expect(buildReviewerSummary([emulated], context).receipts[0]?.console_url).toBeNull();
  });

  it('ignores objects that are not valid receipts', () => {
    const junk: StoredReceipt = {
      key: 'p/x/junk.json',
      uri: 's3://r/p/x/junk.json',
      sha256: 'd'.repeat(64),
      bytes: 2,
      body: Buffer.from('{}'),
      problem: 'not valid JSON',
    };
    expect(buildReviewerSummary([junk], context).receipts).toEqual([]);
  });
});
