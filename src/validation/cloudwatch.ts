import { InputError, quoted } from './errors.js';
import { parseList, required } from './primitives.js';

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
