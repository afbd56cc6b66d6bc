import { renderDelivery } from '../../notifications/delivery.js';
import { buildNotification } from '../../notifications/message.js';
import { publishNotification } from '../../notifications/publish.js';
import { compactPreview } from '../../preview/summary.js';
import { InputError } from '../../validation/errors.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import type { RequestApprovalInputs } from './inputs.js';
import type { RequestApprovalOutput } from './outputs.js';
import { renderReviewerSummary } from './render.js';

export async function run(
  inputs: RequestApprovalInputs,
  ctx: PhaseContext,
): Promise<PhaseResult<RequestApprovalOutput>> {
  if (!ctx.receipts) {
    throw new InputError(
      'receipt-bucket',
      'is required: the reviewer summary is built from this execution’s receipts',
    );
  }
  // The evidence and the preview read earlier phases' outputs with their schemas (zod): loaded as the
  // phase runs, not as it starts (issue 24.4).
  const [{ buildReviewerSummary, latestByPhase }, { previewForReview }] = await Promise.all([
    import('./evidence.js'),
    import('./preview.js'),
  ]);
  const stored = await ctx.receipts.list();
  const base = buildReviewerSummary(stored, {
    executionId: ctx.executionId,
    target: ctx.target,
    environment: inputs.environment,
    imageRef: inputs.imageRef,
    releaseMetadata: inputs.releaseMetadata,
    triggeredAt: inputs.triggeredAt,
    now: ctx.now(),
  });
  const latest = latestByPhase(stored);
  const restorePreview = await previewForReview(
    ctx.aws.s3,
    ctx.receipts.location,
    { precheck: latest.get('restore-precheck')?.receipt, restore: latest.get('restore')?.receipt },
    (line) => ctx.io.info(`restore preview: ${line}`),
  );
  if ('unavailable' in restorePreview) ctx.io.warning(`no restore preview: ${restorePreview.unavailable}`);
  const summary = { ...base, restore_preview: restorePreview };
  if (summary.missing.length > 0)
    ctx.io.warning(`no receipt for ${summary.missing.join(', ')}; reviewers are told`);

  const notification = buildNotification(
    {
      event: 'approval-requested',
      execution_id: ctx.executionId,
      run_url: inputs.runUrl,
      summary: `DR standby ${ctx.executionId} is waiting for approval in environment ${inputs.environment}`,
      details: { ...summary, restore_preview: compactPreview(restorePreview) },
    },
    ctx.now(),
  );
  const published = await publishNotification(ctx.aws, inputs.topicArn, notification);
  const outputs = {
    'summary-json': summary,
    'rto-seconds': summary.rto_seconds ?? ('' as const),
    'rpo-hours': summary.rpo_hours ?? ('' as const),
    notified: published.notified,
  };
  const markdown = `${renderReviewerSummary(summary)}\n\n${renderDelivery(published, inputs.topicArn, {})}`;

  if (summary.validation.result !== null && summary.validation.result !== 'passed') {
    const message = `validation result is '${summary.validation.result}', not 'passed': nothing to approve`;
    return {
      status: 'failed',
      outputs,
      summary: markdown,
      failure: { message, reason: 'validation_not_passed' },
    };
  }
  return { status: 'ok', outputs, summary: markdown };
}
