import type { DrillCost } from '../../cost/estimate.js';
import { renderCost } from '../../cost/render.js';
import { renderDelivery } from '../../notifications/delivery.js';
import { buildNotification } from '../../notifications/message.js';
import { publishNotification } from '../../notifications/publish.js';
import { describeError } from '../../util/errors.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import type { NotifyInputs } from './inputs.js';
import type { NotifyOutput } from './outputs.js';

export async function run(inputs: NotifyInputs, ctx: PhaseContext): Promise<PhaseResult<NotifyOutput>> {
  const cost = inputs.event === 'drill-complete' ? await executionCost(inputs, ctx) : undefined;
  const details = cost
    ? { ...inputs.details, cost_usd: cost.total_usd, cost_status: cost.status }
    : inputs.details;
  const notification = buildNotification(
    {
      event: inputs.event,
      execution_id: ctx.executionId,
      run_url: inputs.runUrl,
      summary: `standby ${inputs.event} for execution ${ctx.executionId}`,
      details,
    },
    ctx.now(),
  );
  const published = await publishNotification(ctx.aws, inputs.topicArn, notification);
  ctx.io.info(
    published.notified
      ? `published ${inputs.event} (${published.messageId})`
      : 'no topic-arn configured: nothing sent',
  );
  return {
    status: 'ok',
    outputs: {
      notified: published.notified,
      'message-id': published.messageId,
      subject: published.subject,
      ...(cost ? { cost } : {}),
    },
    summary: [renderDelivery(published, inputs.topicArn, details), ...(cost ? [renderCost(cost)] : [])].join(
      '\n\n',
    ),
  };
}

/**
 * The drill's cost, from the execution's receipts (the report receipt carries it). A price table that
 * cannot be read leaves the cost unpriced with the reason: the drill-complete notice still goes out.
 * The cost code and its price table's schema (zod) load only here (issue 24.4: a phase starts without zod).
 */
async function executionCost(inputs: NotifyInputs, ctx: PhaseContext): Promise<DrillCost | undefined> {
  if (!ctx.receipts) return undefined;
  const receipts = (await ctx.receipts.list()).flatMap((r) => (r.receipt ? [r.receipt] : []));
  const [{ drillCost, unpricedCost }, { loadPriceTable }] = await Promise.all([
    import('../../cost/drill-cost.js'),
    import('../../cost/load.js'),
  ]);
  try {
    return drillCost(receipts, ctx.now(), await loadPriceTable(inputs.priceTable));
  } catch (error) {
    ctx.io.warning(describeError(error));
    return unpricedCost(receipts, ctx.now(), describeError(error));
  }
}
