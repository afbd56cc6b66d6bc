import { renderDelivery } from '../../notifications/delivery.js';
import { buildNotification } from '../../notifications/message.js';
import { publishNotification } from '../../notifications/publish.js';
import { markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { diagnose } from './diagnose.js';
import type { FailureInputs } from './inputs.js';
import type { FailureOutput } from './outputs.js';

export async function run(inputs: FailureInputs, ctx: PhaseContext): Promise<PhaseResult<FailureOutput>> {
  const receipts = ctx.receipts ? await ctx.receipts.list() : [];
  const found = diagnose(inputs.jobResults, receipts, inputs.failedPhase);
  ctx.io.info(`failed phase: ${found.phase} (${found.reason}): ${found.message}`);
  const notification = buildNotification(
    {
      event: 'failed',
      execution_id: ctx.executionId,
      run_url: inputs.runUrl,
      summary: `DR run ${ctx.executionId} failed in ${found.phase}: ${found.message}`,
      details: {
        failed_phase: found.phase,
        reason: found.reason,
        error: found.message,
        receipt: found.receiptUri,
        failed_jobs: found.failedJobs,
      },
    },
    ctx.now(),
  );
  // Its own event and subject: the failure message is a new message, never a replacement of a success one.
  const published = await publishNotification(ctx.aws, inputs.topicArn, notification);
  const rows = [
    ['Failed phase', found.phase],
    ['Reason', found.reason],
    ['Error', found.message],
    ['Failed receipt', found.receiptUri ?? '—'],
    ['Jobs not successful', found.failedJobs.map((j) => `${j.job} (${j.result})`).join(', ') || '—'],
  ];
  return {
    status: 'ok',
    outputs: {
      notified: published.notified,
      'failed-phase': found.phase,
      reason: found.reason,
      message: found.message,
    },
    summary: `${markdownTable(['Field', 'Value'], rows)}\n\n${renderDelivery(published, inputs.topicArn, {})}`,
  };
}
