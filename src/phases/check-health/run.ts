import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeError } from '../../util/errors.js';
import { escapeMarkdown, markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { assessHealth, decideProceed, type HealthAssessment } from './assess.js';
import type { CheckHealthInputs } from './inputs.js';
import { publishHealthMetrics } from './metrics.js';
import type { CheckHealthOutput } from './outputs.js';
import { probePublisher } from './probe.js';

export async function run(
  inputs: CheckHealthInputs,
  ctx: PhaseContext,
): Promise<PhaseResult<CheckHealthOutput>> {
  const region = inputs.publishRegion ?? ctx.aws.region;
  ctx.io.info(
    `Checking s3://${inputs.layout.bucket}/${inputs.layout.prefix} (${region}) for ${inputs.layout.pairs.length} provider/profile pair(s)`,
  );
  const observed = await probePublisher(publishS3(ctx, region), inputs.layout, inputs.concurrency);
  const now = ctx.now();
  const health = assessHealth({ ...observed, maxFreshnessHours: inputs.maxFreshnessHours, now });
  const decision = decideProceed(health.needsDr, inputs.forceRun, inputs.enableTriggers, inputs.admission);
  const metrics = inputs.publishMetrics
    ? await publishOrWarn(ctx, inputs, health, now)
    : { published: [] as string[], error: undefined };
  ctx.io.info(`needs-dr=${health.needsDr} proceed=${decision.proceed} (${decision.why})`);

  return {
    status: 'ok',
    outputs: {
      'needs-dr': health.needsDr,
      proceed: decision.proceed,
      'proceed-reason': decision.why,
      'freshness-hours': health.freshnessHours ?? '',
      'publish-correct': health.publishCorrect,
      'global-run-id': health.globalRunId ?? '',
      'pairs-checked': health.pairs.length,
      'publish-region': region,
      'metrics-published': metrics.published,
      ...(metrics.error ? { 'metrics-error': metrics.error } : {}),
      ...(inputs.admission.decision ? { admission: inputs.admission.decision } : {}),
      reasons: health.reasons,
    },
    summary: renderHealth(health, inputs, decision.why, metrics.error),
  };
}

/**
 * The publisher's bucket is read in its own region (the primary), with a short retry budget: in a
 * regional outage every read fails, and detection must still finish well inside the job's timeout.
 */
function publishS3(ctx: PhaseContext, region: string): S3Client {
  const { maxAttempts = 3, idleTimeoutMs = 10_000 } = ctx.aws.config;
  return ctx.aws.s3In(`s3-publish:${region}`, {
    region,
    // Never a longer budget than the deployment's own clients have.
    maxAttempts: Math.min(maxAttempts, 3),
    idleTimeoutMs: Math.min(idleTimeoutMs, 10_000),
  });
}

/**
 * Metrics are best effort: when CloudWatch is down (the same regional incident, often), the outputs and
 * the receipt still carry the verdict, so an alarm-started run is not stopped at its first job.
 */
async function publishOrWarn(
  ctx: PhaseContext,
  inputs: CheckHealthInputs,
  health: HealthAssessment,
  now: Date,
): Promise<{ published: string[]; error?: string }> {
  try {
    return {
      published: await publishHealthMetrics(
        ctx.aws.client('cloudwatch', (c) => new CloudWatchClient(c)),
        inputs.metrics,
        health,
        now,
      ),
    };
  } catch (error) {
    const message = `CloudWatch PutMetricData failed (${describeError(error)}); the verdict below stands, but the alarms saw no data point this time`;
    ctx.io.warning(message);
    return { published: [], error: message };
  }
}

function renderHealth(
  health: HealthAssessment,
  inputs: CheckHealthInputs,
  why: string,
  metricsError?: string,
): string {
  const freshness =
    health.freshnessHours === undefined
      ? 'unknown'
      : `${health.freshnessHours} h (limit ${inputs.maxFreshnessHours} h)`;
  const verdict = health.needsDr ? '**DR needed**' : '**Healthy**';
  const failing = health.pairs.filter((pair) => !pair.ok);
  const rows = [
    ['Freshness', health.reasons.some((r) => r.subject === 'global') ? '❌' : '✅', freshness],
    ['Global run', health.globalRunId ? '✅' : '❌', health.globalRunId ?? 'unreadable'],
    [
      'Publish correctness',
      health.publishCorrect ? '✅' : '❌',
      `${health.pairs.length - failing.length}/${health.pairs.length} pairs ok`,
    ],
  ];
  const lines = [`${verdict}: ${why}.`, '', markdownTable(['Signal', 'Status', 'Detail'], rows)];
  if (metricsError) lines.push('', `⚠️ ${escapeMarkdown(metricsError)}.`);
  if (failing.length > 0) {
    const shown = failing.slice(0, 50).map((pair) => [pair.pair, pair.detail]);
    lines.push('', markdownTable(['Failing pair', 'Why'], shown));
    if (failing.length > shown.length)
      lines.push(`…and ${failing.length - shown.length} more (see the reasons output).`);
  }
  return lines.join('\n');
}
