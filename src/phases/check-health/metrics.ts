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
