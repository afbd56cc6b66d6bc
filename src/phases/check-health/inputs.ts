import type { InputSpec } from '../../io/input-spec.js';
import { parseMetricDimensions, parseMetricNamespace } from '../../validation/cloudwatch.js';
import { InputError, quoted } from '../../validation/errors.js';
import {
  parseBoolean,
  parseBucketName,
  parseKeyPrefix,
  parseNumber,
  parseOptionalRegion,
  required,
} from '../../validation/primitives.js';
import { parsePairs, SEGMENT } from '../../validation/publish-names.js';
import type { Admission } from './assess.js';
import type { MetricTarget } from './metrics.js';
import type { PublishLayout } from './probe.js';

export const checkHealthInputs: Record<string, InputSpec> = {
  'publish-bucket': { description: 'Bucket the batch system publishes to.', required: true },
  'publish-region': {
    description:
      'Region of the publish bucket (the primary). Default: aws-region. Metrics and receipts stay in aws-region (the DR region).',
    default: '',
  },
  'publish-prefix': {
    description: 'Key prefix of the publisher (state/ and latest/ live under it).',
    default: '',
  },
  providers: {
    description: 'provider/profile pairs to check, one per line or comma-separated (at least one).',
    required: true,
  },
  'expected-marker-file': {
    description: 'File that must exist under latest/<provider>/<profile>/.',
    default: '_SUCCESS',
  },
  'max-freshness-hours': {
    description: 'Unhealthy when the last successful publish is older than this.',
    default: '26',
  },
  concurrency: {
    description: 'S3 requests in flight at once (network-bound: see docs/benchmarks.md).',
    default: '32',
  },
  'publish-metrics': {
    description: 'Publish CloudWatch metrics (true/false).',
    default: 'true',
    boolean: true,
  },
  'metric-namespace': { description: 'CloudWatch namespace for the metrics.', default: 'Standby/Pipeline' },
  'metric-dimensions': {
    description:
      'Metric dimensions as Name=Value pairs, comma-separated. Default: Pipeline=<bucket>/<prefix>.',
    default: '',
  },
  'force-run': {
    description: 'Manual drill: go on past check-health whatever the health (true/false).',
    default: 'false',
    boolean: true,
  },
  'enable-triggers': {
    description: 'Whether unhealthy results may start DR (repository variable). Off by default.',
    default: 'false',
    boolean: true,
  },
  admission: {
    description:
      'What the real-DR admission decided: admitted, dropped (another real DR run is in flight: record and stop), unchecked, or empty (drills).',
    default: '',
  },
  'admission-detail': { description: 'Why, for the receipt (e.g. the real DR run in flight).', default: '' },
};

export interface CheckHealthInputs {
  layout: PublishLayout;
  /** Undefined: the phase's own region. */
  publishRegion?: string;
  admission: { decision: Admission; detail: string };
  maxFreshnessHours: number;
  concurrency: number;
  publishMetrics: boolean;
  metrics: MetricTarget;
  forceRun: boolean;
  enableTriggers: boolean;
}

export function parseCheckHealthInputs(read: (name: string) => string): CheckHealthInputs {
  const bucket = parseBucketName('publish-bucket', read('publish-bucket'));
  const prefix = parseKeyPrefix('publish-prefix', read('publish-prefix'));
  return {
    publishRegion: parseOptionalRegion('publish-region', read('publish-region')),
    admission: {
      decision: parseAdmission(read('admission')),
      detail: read('admission-detail').trim().slice(0, 500),
    },
    layout: {
      bucket,
      prefix,
      pairs: parsePairs(read('providers')),
      markerFile: parseMarkerFile(read('expected-marker-file')),
    },
    maxFreshnessHours: parseNumber('max-freshness-hours', read('max-freshness-hours'), {
      min: 0.01,
      max: 24 * 365,
    }),
    concurrency: parseNumber('concurrency', read('concurrency'), { min: 1, max: 256, integer: true }),
    publishMetrics: parseBoolean('publish-metrics', read('publish-metrics'), true),
    metrics: {
      namespace: parseMetricNamespace(read('metric-namespace')),
      dimensions: parseMetricDimensions(read('metric-dimensions'), () => [
        { Name: 'Pipeline', Value: `${bucket}/${prefix}`.replace(/\/$/, '') },
      ]),
    },
    forceRun: parseBoolean('force-run', read('force-run'), false),
    enableTriggers: parseBoolean('enable-triggers', read('enable-triggers'), false),
  };
}

function parseMarkerFile(raw: string): string {
  const value = required('expected-marker-file', raw);
  if (!SEGMENT.test(value) || value === '.' || value === '..') {
    throw new InputError('expected-marker-file', `${quoted(raw)} must be a plain file name`);
  }
  return value;
}

function parseAdmission(raw: string): Admission {
  const value = raw.trim();
  if (value === '' || value === 'admitted' || value === 'dropped' || value === 'unchecked') return value;
  throw new InputError('admission', `must be admitted, dropped, unchecked or empty, got ${quoted(raw)}`);
}
