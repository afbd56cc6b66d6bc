// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { readFileSync } from 'node:fs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { assessHealth } from '../../src/phases/check-health/assess.js';
import { checkHealthInputs, parseCheckHealthInputs } from '../../src/phases/check-health/inputs.js';
import { DRILL_AGE_METRIC, publishHealthMetrics } from '../../src/phases/check-health/metrics.js';
import { probePublisher } from '../../src/phases/check-health/probe.js';
import { parseMetricTarget } from '../../src/validation/cloudwatch.js';
import { useEmulator } from '../helpers/emulator.js';
import { resource } from '../helpers/terraform-modules.js';
import { fill } from '../workflows/expressions.js';
import type { Workflow } from '../workflows/load.js';
import { workflowEnv } from '../workflows/simulate.js';
import { type Value, validationErrors } from './hcl-eval.js';
import { type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// The alarms watch exactly what check-health publishes when the workflows pass it the repository
// variables Terraform writes from the same variables: a seed-style publisher (marker openai_top.cs.md)
// is healthy end to end, on the emulator: S3 probe -> assessment -> PutMetricData -> the alarm's query.

/** check-health's inputs as the workflows fill them from the repository variables (vars.STANDBY_*). */
function checkHealthReads(variables: Record<string, string>) {
  const fromVariables: Record<string, string | undefined> = {
    'publish-bucket': variables.STANDBY_PUBLISH_BUCKET,
    'publish-prefix': variables.STANDBY_PUBLISH_PREFIX,
    providers: variables.STANDBY_PROVIDERS,
    'expected-marker-file': variables.STANDBY_EXPECTED_MARKER_FILE,
    'max-freshness-hours': variables.STANDBY_MAX_FRESHNESS_HOURS,
    'metric-namespace': variables.STANDBY_METRIC_NAMESPACE,
    'metric-dimensions': variables.STANDBY_METRIC_DIMENSIONS,
  };
  return (name: string) => fromVariables[name] ?? checkHealthInputs[name]?.default ?? '';
}

interface Alarm {
  namespace: string;
  metric: string;
  dimensions: { Name: string; Value: string }[];
  threshold: number;
}

/** One target's instance of a per-target alarm (for_each over the targets). */
function alarm(o: Orchestrator, name: string, target = 'default'): Alarm & { name: string } {
  const block = resource(o.module, 'aws_cloudwatch_metric_alarm', name);
  const value = (raw: unknown) => o.instanceValue(block, target, raw);
  const dimensions = value(block.dimensions) as Record<string, string>;
  return {
    name: value(block.alarm_name) as string,
    namespace: value(block.namespace) as string,
    metric: value(block.metric_name) as string,
    dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
    threshold: value(block.threshold) as number,
  };
}

const byName = (dims: { Name?: string; Value?: string }[]) =>
  [...dims].sort((a, b) => String(a.Name).localeCompare(String(b.Name)));

describe('alarm dimensions come from the same variables as the repository variables', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });

  it.each(['freshness', 'correctness', 'backup_age', 'drill_age'])(
    '%s alarm: check-health publishes to its exact series',
    (name) => {
      const variables = o.value('${local.repository_variables}') as Record<string, string>;
      const inputs = parseCheckHealthInputs(checkHealthReads(variables));
      const watched = alarm(o, name);
      expect(watched.namespace).toBe(inputs.metrics.namespace);
      expect(byName(watched.dimensions)).toEqual(byName(inputs.metrics.dimensions));
    },
  );

  it("the default dimensions equal check-health's own default (no metric-dimensions input at all)", () => {
    const variables = o.value('${local.repository_variables}') as Record<string, string>;
    const withoutDimensions = parseCheckHealthInputs((input) =>
      input === 'metric-dimensions' ? '' : checkHealthReads(variables)(input),
    );
    expect(byName(alarm(o, 'correctness').dimensions)).toEqual(byName(withoutDimensions.metrics.dimensions));
  });

  it('explicit dimensions reach both the alarms and the repository variable', async () => {
    const custom = await orchestrator({ metric_dimensions: { Team: 'data', Pipeline: 'nightly' } as Value });
    const variables = custom.value('${local.repository_variables}') as Record<string, string>;
    expect(variables.STANDBY_METRIC_DIMENSIONS).toBe('Pipeline=nightly,Team=data');
    const inputs = parseCheckHealthInputs(checkHealthReads(variables));
    expect(byName(alarm(custom, 'freshness').dimensions)).toEqual(byName(inputs.metrics.dimensions));
  });

  it('BackupAgeHours: RPO watch on the same series, threshold max_backup_age_hours, notify only (never starts DR)', () => {
    const rpo = alarm(o, 'backup_age');
    expect(rpo.metric).toBe('BackupAgeHours');
    expect(rpo.threshold).toBe(26);
    const block = resource(o.module, 'aws_cloudwatch_metric_alarm', 'backup_age');
    expect(block).toMatchObject({
      treat_missing_data: 'breaching',
      actions_enabled: true,
    });
    const rule = String(resource(o.module, 'aws_cloudwatch_event_rule', 'alarm').event_pattern);
    expect(rule).toContain('aws_cloudwatch_metric_alarm.freshness : alarm.arn');
    expect(rule).not.toContain('backup_age');
  });
});

describe('DrillAgeHours: the age of the newest verified drill (issue 23.2)', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });

  it('watches DrillAgeHours, threshold max_drill_age_days (default 14) in hours, missing data breaching', () => {
    const watched = alarm(o, 'drill_age');
    expect(watched.metric).toBe(DRILL_AGE_METRIC);
    expect(watched.threshold).toBe(14 * 24);
    const block = resource(o.module, 'aws_cloudwatch_metric_alarm', 'drill_age');
    // No verified drill ever publishes nothing: the alarm must read that as breaching, not as healthy.
    expect(block).toMatchObject({ treat_missing_data: 'breaching', actions_enabled: true });
    expect(block.comparison_operator).toBe('GreaterThanThreshold');
  });

  it('notifies through the same SNS topic (alarm and OK) as the other alarms and never starts DR', () => {
    const topics = (name: string) => {
      const block = resource(o.module, 'aws_cloudwatch_metric_alarm', name);
      return { alarm: o.value(block.alarm_actions), ok: o.value(block.ok_actions) };
    };
    expect(topics('drill_age')).toEqual(topics('freshness'));
    expect(topics('drill_age').alarm).toEqual([o.value('${aws_sns_topic.notifications.arn}')]);
    const rule = String(resource(o.module, 'aws_cloudwatch_event_rule', 'alarm').event_pattern);
    expect(rule).not.toContain('drill_age');
    // Same evaluation as the other hourly series: one late run raises nothing.
    const block = resource(o.module, 'aws_cloudwatch_metric_alarm', 'drill_age');
    const freshness = resource(o.module, 'aws_cloudwatch_metric_alarm', 'freshness');
    for (const key of ['period', 'evaluation_periods', 'datapoints_to_alarm', 'statistic'])
      expect(o.value(block[key])).toEqual(o.value(freshness[key]));
  });

  it("freshness-target.yml's drill-age job publishes to the alarm's exact series, from the repository variables", () => {
    const variables = o.value('${local.repository_variables}') as Record<string, string>;
    const workflow = parse(readFileSync('.github/workflows/freshness-target.yml', 'utf8'));
    const step = workflow.jobs['drill-age'].steps.find((s: { id?: string }) => s.id === 'drill-age');
    // The step's env, filled from the variables as GitHub would (the workflow's env first: the target's
    // values looked up in STANDBY_TARGETS; target default, as freshness.yml's matrix names it).
    const context = { inputs: { target: 'default' }, vars: variables, github: { run_id: '1' } };
    const env = Object.fromEntries(
      Object.entries(step.env as Record<string, string>).map(([k, v]) => [
        k,
        fill(v, { ...context, env: workflowEnv({ env: workflow.env } as Workflow, context) }),
      ]),
    );
    expect(step.run).toContain(
      '--metric-namespace "$METRIC_NAMESPACE" --metric-dimensions "$METRIC_DIMENSIONS"',
    );
    expect(step.run).toContain('--publish-bucket "$PUBLISH_BUCKET" --publish-prefix "$PUBLISH_PREFIX"');
    const byInput: Record<string, string> = {
      'metric-namespace': env.METRIC_NAMESPACE as string,
      'metric-dimensions': env.METRIC_DIMENSIONS as string,
      'publish-bucket': env.PUBLISH_BUCKET as string,
      'publish-prefix': env.PUBLISH_PREFIX as string,
    };
    const target = parseMetricTarget((name) => byInput[name] ?? '', '--publish');
    const watched = alarm(o, 'drill_age');
    expect(target.namespace).toBe(watched.namespace);
    expect(byName(target.dimensions)).toEqual(byName(watched.dimensions));
  });

  it('a custom max_drill_age_days moves the threshold', async () => {
    const custom = await orchestrator({ max_drill_age_days: 30 });
    expect(alarm(custom, 'drill_age').threshold).toBe(720);
  });

  it('max_drill_age_days is validated: whole days from 1 to 365', () => {
    const errors = (value: Value) =>
      validationErrors(o.module, 'max_drill_age_days', value, o.scope.vars).length;
    expect([0, -1, 366, 1.5].map(errors)).toEqual([1, 1, 1, 1]);
    expect([1, 14, 365].map(errors)).toEqual([0, 0, 0]);
  });
});

describe('a seed-style publisher end to end on the emulator', () => {
  useEmulator();
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });

  /** A publisher whose success marker is openai_top.cs.md, not _SUCCESS. */
  async function seedStylePublisher(s3: S3Client, variables: Record<string, string>) {
    const bucket = variables.STANDBY_PUBLISH_BUCKET as string;
    const prefix = variables.STANDBY_PUBLISH_PREFIX as string;
    await ensureBucket(s3, bucket);
    const pointer = JSON.stringify({
      run_id: 'seed-7',
      ended_at: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    });
    const put = (key: string, body: string) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}`, Body: body }));
    await put('state/last_success.json', pointer);
    for (const pair of (variables.STANDBY_PROVIDERS as string).split(',')) {
      await put(`state/${pair}/last_success.json`, pointer);
      await put(`latest/${pair}/openai_top.cs.md`, '# top\n');
    }
  }

  async function checkHealth(variables: Record<string, string>) {
    const inputs = parseCheckHealthInputs(checkHealthReads(variables));
    const s3 = new S3Client({ forcePathStyle: true });
    const observed = await probePublisher(s3, inputs.layout, inputs.concurrency);
    const now = new Date();
    const health = assessHealth({ ...observed, maxFreshnessHours: inputs.maxFreshnessHours, now });
    await publishHealthMetrics(new CloudWatchClient({}), inputs.metrics, health, now);
    return health;
  }

  async function alarmSees(watched: Alarm) {
    const { Datapoints } = await new CloudWatchClient({}).send(
      new GetMetricStatisticsCommand({
        Namespace: watched.namespace,
        MetricName: watched.metric,
        Dimensions: watched.dimensions,
        StartTime: new Date(Date.now() - 3_600_000),
        EndTime: new Date(Date.now() + 60_000),
        Period: 3600,
        Statistics: ['Maximum'],
      }),
    );
    return (Datapoints ?? []).map((d) => d.Maximum as number);
  }

  it('with the marker from Terraform: publish correct, and the correctness alarm sees 0 (OK)', async () => {
    const variables = o.value('${local.repository_variables}') as Record<string, string>;
    await seedStylePublisher(new S3Client({ forcePathStyle: true }), variables);
    const health = await checkHealth(variables);
    expect(health.reasons).toEqual([]);
    expect(health.publishCorrect).toBe(true);
    const correctness = alarm(o, 'correctness');
    expect(await alarmSees(correctness)).toEqual([0]);
    expect(Math.max(...(await alarmSees(alarm(o, 'freshness'))))).toBeLessThan(
      alarm(o, 'freshness').threshold,
    );
  });

  it("with check-health's default marker (_SUCCESS, what a workflow without the variable passes) it would alarm", async () => {
    const variables = o.value('${local.repository_variables}') as Record<string, string>;
    await seedStylePublisher(new S3Client({ forcePathStyle: true }), variables);
    const { STANDBY_EXPECTED_MARKER_FILE: _, ...withoutMarker } = variables;
    const health = await checkHealth(withoutMarker);
    expect(health.publishCorrect).toBe(false);
    expect(health.reasons.map((r) => r.code)).toEqual(['marker_missing', 'marker_missing']);
    expect(await alarmSees(alarm(o, 'correctness'))).toEqual([1]);
  });
});

/**
 * CloudWatch's "M out of N" rule with treat_missing_data = breaching, as a pure function: after each
 * period the alarm is in ALARM when at least M of the last N periods breach, a period with no datapoint
 * counting as breaching. `runs` are the minutes (from hour 0) at which the freshness workflow published a
 * healthy datapoint; `hours` is how many periods to evaluate.
 */
function alarmStates(runs: number[], hours: number, periodSeconds: number, n: number, m: number): boolean[] {
  const periodMinutes = periodSeconds / 60;
  const breaching = Array.from(
    { length: hours },
    (_, k) => !runs.some((t) => t >= k * periodMinutes && t < (k + 1) * periodMinutes),
  );
  return breaching.map((_, k) => k + 1 >= n && breaching.slice(k + 1 - n, k + 1).filter(Boolean).length >= m);
}

/** The freshness schedule's run minutes over `hours`, from its cron line (minute fixed, every hour). */
function scheduledRuns(hours: number): number[] {
  const workflow = parse(readFileSync('.github/workflows/freshness.yml', 'utf8'));
  const cron = String(workflow.on.schedule[0].cron);
  const [minute, ...rest] = cron.split(' ');
  expect(rest).toEqual(['*', '*', '*', '*']); // hourly: the table below assumes it
  return Array.from({ length: hours }, (_, h) => h * 60 + Number(minute));
}

describe('missed scheduled runs against the hourly freshness schedule', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });
  const HOURS = 12;

  /** Which missed-run patterns raise the alarms (hour indexes of the runs that are dropped or moved). */
  const patterns: { name: string; edit: (runs: number[]) => number[]; alarms: boolean }[] = [
    { name: 'every run on time', edit: (r) => r, alarms: false },
    { name: 'one dropped run', edit: (r) => r.filter((_, h) => h !== 5), alarms: false },
    {
      name: 'one run 50 minutes late (lands in the next hour)',
      edit: (r) => r.map((t, h) => (h === 5 ? t + 50 : t)),
      alarms: false,
    },
    { name: 'every other run dropped', edit: (r) => r.filter((_, h) => h % 2 === 0), alarms: false },
    { name: 'two runs in a row dropped', edit: (r) => r.filter((_, h) => h !== 5 && h !== 6), alarms: true },
    { name: 'the schedule stops (workflow disabled)', edit: (r) => r.filter((_, h) => h < 4), alarms: true },
  ];

  it('the alarm period covers exactly one scheduled run, and every alarm is N of N', () => {
    for (const name of Object.keys(o.module.resources.aws_cloudwatch_metric_alarm ?? {})) {
      const block = resource(o.module, 'aws_cloudwatch_metric_alarm', name);
      if (o.value(block.namespace) !== o.value('${var.metric_namespace}')) continue; // not a check-health metric
      expect([name, o.value(block.period)]).toEqual([name, 3600]);
      expect([name, o.value(block.datapoints_to_alarm)]).toEqual([name, o.value(block.evaluation_periods)]);
      expect([name, o.value(block.treat_missing_data)]).toEqual([name, 'breaching']);
    }
  });

  it.each(patterns)('$name: alarms = $alarms', ({ edit, alarms }) => {
    const block = resource(o.module, 'aws_cloudwatch_metric_alarm', 'freshness');
    const period = o.value(block.period) as number;
    const n = o.value(block.evaluation_periods) as number;
    const m = o.value(block.datapoints_to_alarm) as number;
    const states = alarmStates(edit(scheduledRuns(HOURS)), HOURS, period, n, m);
    expect(states.some(Boolean)).toBe(alarms);
  });

  it('the model is not vacuous: 1 of 1 (the old setting) alarms on a single dropped run', () => {
    const runs = scheduledRuns(HOURS).filter((_, h) => h !== 5);
    expect(alarmStates(runs, HOURS, 3600, 1, 1).some(Boolean)).toBe(true);
  });

  it('alarm_evaluation_periods refuses 1 (a single dropped run would alarm) and accepts 2..24', () => {
    const errors = (value: Value) =>
      validationErrors(o.module, 'alarm_evaluation_periods', value, o.scope.vars).length;
    expect([1, 0, 25, 2.5].map(errors)).toEqual([1, 1, 1, 1]);
    expect([2, 3, 24].map(errors)).toEqual([0, 0, 0]);
  });
});
