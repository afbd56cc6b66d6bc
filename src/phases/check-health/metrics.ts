import { type CloudWatchClient, type Dimension, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { HealthAssessment } from './assess.js';

export interface MetricTarget {
  namespace: string;
  dimensions: Dimension[];
}

/**
 * One PutMetricData call with the three health metrics. PipelineFreshnessHours is left out when the
 * age is unknown: the alarm treats missing data as breaching, so an unreadable pointer still alarms.
 */
export async function publishHealthMetrics(
  cloudwatch: CloudWatchClient,
  target: MetricTarget,
  health: HealthAssessment,
  at: Date,
) {
  const datum = (MetricName: string, Value: number, Unit: 'None' | 'Count') => ({
    MetricName,
    Value,
    Unit,
    Timestamp: at,
    Dimensions: target.dimensions,
  });
  const metrics = [
    datum('PublishCorrectness', health.publishCorrect ? 0 : 1, 'None'),
    datum('NeedsDR', health.needsDr ? 1 : 0, 'None'),
  ];
  if (health.freshnessHours !== undefined)
    metrics.unshift(datum('PipelineFreshnessHours', health.freshnessHours, 'None'));
  await cloudwatch.send(new PutMetricDataCommand({ Namespace: target.namespace, MetricData: metrics }));
  return metrics.map((m) => m.MetricName);
}

/** The age of the newest verified drill, published by the freshness schedule (docs/terraform.md, "Alarms"). */
export const DRILL_AGE_METRIC = 'DrillAgeHours';

/**
 * DrillAgeHours in the health metrics' namespace and dimensions, so the drill-age alarm watches the same
 * series scheme as the others. Called only when a verified drill exists: with none, nothing is published
 * and the alarm's missing data (breaching) raises it.
 */
export async function publishDrillAge(
  cloudwatch: CloudWatchClient,
  target: MetricTarget,
  ageHours: number,
  at: Date,
): Promise<void> {
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: target.namespace,
      MetricData: [
        {
          MetricName: DRILL_AGE_METRIC,
          Value: ageHours,
          Unit: 'None',
          Timestamp: at,
          Dimensions: target.dimensions,
        },
      ],
    }),
  );
}
