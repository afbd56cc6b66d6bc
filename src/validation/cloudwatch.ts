import { InputError, quoted } from './errors.js';
import { parseBucketName, parseKeyPrefix, parseList, required } from './primitives.js';

export interface MetricDimension {
  Name: string;
  Value: string;
}

/** A custom CloudWatch namespace (AWS/ is reserved for AWS's own metrics). */
export function parseMetricNamespace(raw: string): string {
  const value = required('metric-namespace', raw);
  if (!/^[A-Za-z0-9 ._/#:-]{1,255}$/.test(value) || value.startsWith('AWS/'))
    throw new InputError('metric-namespace', `${quoted(raw)} is not a valid custom CloudWatch namespace`);
  return value;
}

/**
 * `Name=Value` pairs, comma- or newline-separated, at most 30 (CloudWatch's limit); `fallback` when none
 * is given. check-health publishes with them and restore-precheck's BackupAgeHours uses the same, so the
 * alarms find both series.
 */
export function parseMetricDimensions(raw: string, fallback: () => MetricDimension[]): MetricDimension[] {
  const items = parseList(raw);
  if (items.length === 0) return fallback();
  if (items.length > 30) throw new InputError('metric-dimensions', 'CloudWatch allows at most 30 dimensions');
  return items.map((item) => {
    const [name, ...rest] = item.split('=');
    const value = rest.join('=').trim();
    if (!name?.trim() || !value)
      throw new InputError('metric-dimensions', `${quoted(item)} is not Name=Value`);
    return { Name: name.trim(), Value: value };
  });
}

/** Where the freshness metrics go: one namespace, one set of dimensions for every series. */
export interface MetricTarget {
  namespace: string;
  dimensions: MetricDimension[];
}

/**
 * The metric target of a series published beside check-health's (BackupAgeHours, DrillAgeHours), from
 * inputs named like check-health's: metric-namespace, metric-dimensions, and for the default dimension
 * publish-bucket and publish-prefix, derived exactly as check-health derives its own
 * (Pipeline=<bucket>/<prefix>), so the alarms find every series under the same dimensions. `who` names
 * the caller in the error when neither dimensions nor a publish bucket is given.
 */
export function parseMetricTarget(read: (name: string) => string, who: string): MetricTarget {
  const namespace = parseMetricNamespace(read('metric-namespace'));
  const dimensions = parseMetricDimensions(read('metric-dimensions'), () => {
    if (!read('publish-bucket').trim())
      throw new InputError(
        'metric-dimensions',
        `is required with ${who} (or publish-bucket and publish-prefix): check-health's dimensions`,
      );
    const bucket = parseBucketName('publish-bucket', read('publish-bucket'));
    const prefix = parseKeyPrefix('publish-prefix', read('publish-prefix'));
    return [{ Name: 'Pipeline', Value: `${bucket}/${prefix}`.replace(/\/$/, '') }];
  });
  return { namespace, dimensions };
}
