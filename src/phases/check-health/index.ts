import type { PhaseDefinition } from '../phase.js';
import { markdownTable } from '../summary.js';
import { assessHealth, decideProceed, type HealthAssessment } from './assess.js';
import { type CheckHealthInputs, checkHealthInputs, parseCheckHealthInputs } from './inputs.js';
import { publishHealthMetrics } from './metrics.js';
import { probePublisher } from './probe.js';

export const checkHealth: PhaseDefinition<CheckHealthInputs> = {
  name: 'check-health',
  title: 'Check publishing health',
  description:
    'Measures publish freshness and correctness for every provider/profile pair and decides whether DR is needed.',
  branding: { icon: 'activity', color: 'blue' },
  inputs: checkHealthInputs,
  outputs: {
    'needs-dr': { description: 'true when any health signal failed' },
    proceed: {
      description: 'true when the pipeline should go on (manual drill, or DR needed with triggers on)',
    },
    'freshness-hours': { description: 'Age of the last successful publish in hours ("" when unknown)' },
    'publish-correct': { description: 'true when every pair is published and consistent' },
    reasons: { description: 'JSON array of {code, subject, message}' },
  },
  parseInputs: parseCheckHealthInputs,

  async run(inputs, ctx) {
    ctx.io.info(
      `Checking s3://${inputs.layout.bucket}/${inputs.layout.prefix} for ${inputs.layout.pairs.length} provider/profile pair(s)`,
    );
    const observed = await probePublisher(ctx.aws.s3, inputs.layout, inputs.concurrency);
    const now = ctx.now();
    const health = assessHealth({ ...observed, maxFreshnessHours: inputs.maxFreshnessHours, now });
    const decision = decideProceed(health.needsDr, inputs.forceRun, inputs.enableTriggers);
    const published = inputs.publishMetrics
      ? await publishHealthMetrics(ctx.aws.cloudwatch, inputs.metrics, health, now)
      : [];
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
        'metrics-published': published,
        reasons: health.reasons,
      },
      summary: renderHealth(health, inputs, decision.why),
    };
  },
};

function renderHealth(health: HealthAssessment, inputs: CheckHealthInputs, why: string): string {
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
  if (failing.length > 0) {
    const shown = failing.slice(0, 50).map((pair) => [pair.pair, pair.detail]);
    lines.push('', markdownTable(['Failing pair', 'Why'], shown));
    if (failing.length > shown.length)
      lines.push(`…and ${failing.length - shown.length} more (see the reasons output).`);
  }
  return lines.join('\n');
}
