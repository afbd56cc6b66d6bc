// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings here
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { checkHealthInputs, parseCheckHealthInputs } from '../../src/phases/check-health/inputs.js';
import { parseTargetName } from '../../src/targets/target.js';
import { resource } from '../helpers/terraform-modules.js';
import { type Value, validationErrors } from './hcl-eval.js';
import { EKS_LOADER_IMAGE, type Orchestrator, orchestrator, SAMPLE_VARS } from './orchestrator-fixture.js';

// Many publishers in one deployment (issue 22.7-22.9): one `targets` variable, validated, written to
// GitHub as STANDBY_TARGETS, one set of alarms per target on that target's own metric series.

const nameCases = JSON.parse(readFileSync('test/fixtures/target-name-cases.json', 'utf8')) as {
  valid: string[];
  invalid: string[];
};

/** The single-publisher variables, which a deployment with `targets` must not give (null = not given). */
const withoutSingle: Record<string, Value> = {
  publish_bucket: null,
  publish_prefix: '',
  publish_providers: null,
  backup_bucket: null,
  backup_prefix: '',
};

const TWO_TARGETS: Record<string, Value> = {
  orders: {
    publish_bucket: 'acme-publish',
    publish_prefix: 'orders',
    providers: [{ provider: 'acme', profile: 'daily' }],
    backup_bucket: 'acme-backups-dr',
    backup_prefix: 'orders',
  },
  search: {
    publish_bucket: 'search-publish',
    providers: [
      { provider: 'openai', profile: 'top' },
      { provider: 'acme', profile: 'weekly' },
    ],
    backup_bucket: 'acme-backups-dr',
    backup_prefix: 'search',
    namespace: 'search',
    state_claim: 'index-state',
    target_kind: 'eks',
    expected_marker_file: '_DONE',
    loader_image: EKS_LOADER_IMAGE,
  },
};

interface TargetVariable {
  name: string;
  storage_class: string;
  loader_image: string;
  kind: string;
  publish_bucket: string;
  publish_prefix: string;
  providers: string;
  expected_marker_file: string;
  backup_uri: string;
  namespace: string;
  state_claim: string;
  metric_dimensions: string;
  alarms: string[];
}

interface StandbyTargets {
  names: string[];
  targets: Record<string, TargetVariable>;
}

const repositoryVariables = (o: Orchestrator) =>
  o.value('${local.repository_variables}') as Record<string, string>;
const standbyTargets = (o: Orchestrator) =>
  JSON.parse(repositoryVariables(o).STANDBY_TARGETS as string) as StandbyTargets;

/** One target's instance of a per-target alarm. */
function alarm(o: Orchestrator, name: string, target: string) {
  const block = resource(o.module, 'aws_cloudwatch_metric_alarm', name);
  const value = (raw: unknown) => o.instanceValue(block, target, raw);
  return {
    name: value(block.alarm_name) as string,
    metric: value(block.metric_name) as string,
    namespace: value(block.namespace) as string,
    dimensions: value(block.dimensions) as Record<string, string>,
    description: value(block.alarm_description) as string,
  };
}

/** check-health's inputs as freshness.yml's matrix fills them for one target of STANDBY_TARGETS. */
function checkHealthFor(variables: Record<string, string>, target: TargetVariable) {
  const given: Record<string, string> = {
    'publish-bucket': target.publish_bucket,
    'publish-prefix': target.publish_prefix,
    providers: target.providers,
    'expected-marker-file': target.expected_marker_file,
    'metric-namespace': variables.STANDBY_METRIC_NAMESPACE as string,
    'metric-dimensions': target.metric_dimensions,
  };
  return parseCheckHealthInputs((name) => given[name] ?? checkHealthInputs[name]?.default ?? '');
}

describe('two targets in one deployment', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator({ ...withoutSingle, targets: TWO_TARGETS });
  });

  it('STANDBY_TARGETS names both, with each target as the phases take it (providers, backups URI, kind)', () => {
    const written = standbyTargets(o);
    expect(written.names).toEqual(['orders', 'search']);
    expect(written.targets.orders).toEqual({
      name: 'orders',
      kind: 'k3s',
      publish_bucket: 'acme-publish',
      publish_prefix: 'orders',
      providers: 'acme/daily',
      // Not given: the deployment's expected_marker_file.
      expected_marker_file: SAMPLE_VARS.expected_marker_file,
      backup_uri: 's3://acme-backups-dr/orders/backups/',
      namespace: '',
      state_claim: '',
      metric_dimensions: 'Pipeline=acme-publish/orders,Target=orders',
      alarms: ['standby-pipeline-freshness-orders', 'standby-publish-correctness-orders'],
      // A k3s target's restore takes neither.
      storage_class: '',
      loader_image: '',
    });
    expect(written.targets.search).toMatchObject({
      kind: 'eks',
      // The eks restore's values: the storage class by default gp3, the loader image as given.
      storage_class: 'gp3',
      loader_image: EKS_LOADER_IMAGE,
      publish_prefix: '',
      providers: 'openai/top,acme/weekly',
      expected_marker_file: '_DONE',
      namespace: 'search',
      state_claim: 'index-state',
      backup_uri: 's3://acme-backups-dr/search/backups/',
    });
  });

  it('the single-publisher repository variables are not written beside STANDBY_TARGETS', () => {
    const variables = repositoryVariables(o);
    for (const name of [
      'STANDBY_PUBLISH_BUCKET',
      'STANDBY_PUBLISH_PREFIX',
      'STANDBY_PROVIDERS',
      'STANDBY_EXPECTED_MARKER_FILE',
      'STANDBY_METRIC_DIMENSIONS',
      'STANDBY_BACKUP_URI',
    ])
      expect([name, name in variables]).toEqual([name, false]);
    // One repository variable carries every target (github_actions_variable for_each over the map).
    const block = resource(o.module, 'github_actions_variable', 'standby');
    expect(String(block.for_each)).toContain('local.repository_variables');
  });

  it.each(['freshness', 'correctness', 'backup_age', 'drill_age'])(
    '%s: one alarm per target, each on exactly the series check-health publishes for that target',
    (name) => {
      const written = standbyTargets(o);
      const seen = new Set<string>();
      for (const target of written.names) {
        const watched = alarm(o, name, target);
        expect(watched.name.endsWith(`-${target}`)).toBe(true);
        expect(watched.description).toContain(`Target ${target}`);
        const inputs = checkHealthFor(repositoryVariables(o), written.targets[target] as TargetVariable);
        expect(watched.namespace).toBe(inputs.metrics.namespace);
        const dims = Object.entries(watched.dimensions).map(([Name, Value]) => ({ Name, Value }));
        const sort = (d: { Name?: string; Value?: string }[]) =>
          [...d].sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
        expect(sort(dims)).toEqual(sort(inputs.metrics.dimensions));
        seen.add(JSON.stringify(sort(dims)));
      }
      // Two targets never share a series (one stale target cannot hide behind a fresh one).
      expect(seen.size).toBe(written.names.length);
    },
  );

  it("STANDBY_TARGETS names each target's own alarms (what the bridge dispatches on)", () => {
    const written = standbyTargets(o);
    for (const target of written.names)
      expect(written.targets[target]?.alarms).toEqual([
        alarm(o, 'freshness', target).name,
        alarm(o, 'correctness', target).name,
      ]);
  });

  it('the roles reach both publishers and both backups prefixes, and no other prefix', () => {
    const detect = o.document('detect');
    const read = detect.Statement.find((s) => s.Sid === 'ReadPublishPointers');
    expect(read?.Resource).toEqual([
      'arn:aws:s3:::acme-publish/orders/state/*',
      'arn:aws:s3:::acme-publish/orders/latest/*',
      'arn:aws:s3:::search-publish/state/*',
      'arn:aws:s3:::search-publish/latest/*',
    ]);
    const runner = o.document('runner');
    const objects = runner.Statement.find((s) => s.Sid === 'ReadBackupObjects');
    expect(objects?.Resource).toEqual([
      'arn:aws:s3:::acme-backups-dr/orders/backups/*',
      'arn:aws:s3:::acme-backups-dr/orders/control-plane/*',
      'arn:aws:s3:::acme-backups-dr/search/backups/*',
      'arn:aws:s3:::acme-backups-dr/search/control-plane/*',
    ]);
    const list = runner.Statement.find((s) => s.Sid === 'ListBackupPrefix');
    expect(list?.Resource).toEqual(['arn:aws:s3:::acme-backups-dr']);
  });

  it("the backups lifecycle: one configuration for the shared bucket, one rule per target's prefix", () => {
    const block = resource(o.module, 'aws_s3_bucket_lifecycle_configuration', 'target_backups');
    expect(o.value(block.for_each)).toEqual(['acme-backups-dr']);
    const dynamicRule = (block.dynamic?.rule ?? [])[0] as { for_each: string };
    const rules = o.instanceValue(block, 'acme-backups-dr', dynamicRule.for_each);
    expect(rules).toEqual({ orders: 'orders/', search: 'search/' });
    const legacy = resource(o.module, 'aws_s3_bucket_lifecycle_configuration', 'backups');
    expect(o.value(legacy.count)).toBe(0);
  });
});

describe('no targets: one target named default from the single-publisher variables (no breaking change)', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });

  it('keeps the alarm names, dimensions and repository variables of before, and adds STANDBY_TARGETS', () => {
    expect(alarm(o, 'freshness', 'default').name).toBe('standby-pipeline-freshness');
    expect(alarm(o, 'correctness', 'default').name).toBe('standby-publish-correctness');
    expect(alarm(o, 'backup_age', 'default').name).toBe('standby-backup-age');
    expect(alarm(o, 'drill_age', 'default').name).toBe('standby-drill-age');
    expect(alarm(o, 'freshness', 'default').dimensions).toEqual({ Pipeline: 'acme-publish/batch' });
    const variables = repositoryVariables(o);
    expect(variables.STANDBY_PUBLISH_BUCKET).toBe('acme-publish');
    expect(variables.STANDBY_BACKUP_URI).toBe('s3://acme-backups-dr/prod/backups/');
    const written = standbyTargets(o);
    expect(written.names).toEqual(['default']);
    expect(written.targets.default).toMatchObject({
      kind: 'k3s',
      publish_bucket: variables.STANDBY_PUBLISH_BUCKET,
      providers: variables.STANDBY_PROVIDERS,
      metric_dimensions: variables.STANDBY_METRIC_DIMENSIONS,
      backup_uri: variables.STANDBY_BACKUP_URI,
      expected_marker_file: variables.STANDBY_EXPECTED_MARKER_FILE,
    });
  });

  it('moves each pre-targets alarm to its default instance instead of replacing it', () => {
    for (const name of ['freshness', 'correctness', 'backup_age', 'drill_age'])
      expect(o.module.moved).toContainEqual({
        from: `\${aws_cloudwatch_metric_alarm.${name}}`,
        to: `\${aws_cloudwatch_metric_alarm.${name}["default"]}`,
      });
  });
});

describe('the targets variable is validated', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator({ ...withoutSingle, targets: TWO_TARGETS });
  });

  const errors = (targets: Value, extra: Record<string, Value> = {}) =>
    validationErrors(o.module, 'targets', targets, { ...o.scope.vars, ...extra, targets });
  const one = (patch: Record<string, Value>) => ({
    orders: { ...(TWO_TARGETS.orders as Record<string, Value>), ...patch },
  });
  // validationErrors gives the value as written; Terraform fills optional attributes first.
  const filled = (targets: Record<string, Value>) =>
    Object.fromEntries(
      Object.entries(targets).map(([k, v]) => [
        k,
        {
          publish_prefix: '',
          backup_prefix: '',
          expected_marker_file: null,
          namespace: null,
          state_claim: null,
          target_kind: 'k3s',
          metric_dimensions: null,
          storage_class: 'gp3',
          loader_image: null,
          ...(v as Record<string, Value>),
        },
      ]),
    ) as Value;

  it('the two-target example is valid', () => {
    expect(errors(filled(TWO_TARGETS as Record<string, Value>))).toEqual([]);
  });

  it.each(nameCases.valid)('name %j is accepted (as src/targets accepts it)', (name) => {
    expect(parseTargetName('target', name)).toBe(name);
    expect(errors(filled({ [name]: TWO_TARGETS.orders as Value }))).toEqual([]);
  });

  it.each(nameCases.invalid.filter((name) => name !== ''))(
    'name %j is refused (as src/targets refuses it)',
    (name) => {
      expect(() => parseTargetName('target', name)).toThrow();
      expect(errors(filled({ [name]: TWO_TARGETS.orders as Value }))).toEqual([
        expect.stringContaining('every name must match'),
      ]);
    },
  );

  it.each([
    ['an unknown kind', { target_kind: 'gke' }, 'target_kind must be k3s or eks'],
    ['an empty publish bucket', { publish_bucket: '' }, 'valid, non-empty S3 bucket names'],
    ['an empty backup bucket', { backup_bucket: '' }, 'valid, non-empty S3 bucket names'],
    ['no providers', { providers: [] }, 'at least one {provider, profile}'],
    [
      'a provider pair twice',
      {
        providers: [
          { provider: 'a', profile: 'b' },
          { provider: 'a', profile: 'b' },
        ],
      },
      'each pair once',
    ],
    ['a traversal backups prefix', { backup_prefix: 'a/../b' }, "without '.' or '..' segments"],
    ['a namespace that is no DNS label', { namespace: 'Search_NS' }, 'DNS-1123 labels'],
  ])('refuses %s', (_, patch, message) => {
    expect(errors(filled(one(patch as Record<string, Value>)))).toEqual([expect.stringContaining(message)]);
  });

  // The eks restore's values, against the one table the restore phase and restore.sh are held to.
  const eksCases = JSON.parse(readFileSync('test/fixtures/eks-restore-input-cases.json', 'utf8')) as Record<
    'loader_image' | 'storage_class',
    { valid: string[]; invalid: string[] }
  >;
  const eks = (patch: Record<string, Value>) => ({
    search: { ...(TWO_TARGETS.search as Record<string, Value>), ...patch },
  });
  const eksErrors = (patch: Record<string, Value>) =>
    errors(filled(eks(patch)), { eks_cluster_name: 'prod' });

  it.each(['loader_image', 'storage_class'] as const)(
    '%s: accepts and refuses what the restore phase does (test/fixtures/eks-restore-input-cases.json)',
    (field) => {
      for (const good of eksCases[field].valid)
        expect([good, eksErrors({ [field]: good })]).toEqual([good, []]);
      for (const bad of eksCases[field].invalid)
        expect([bad, eksErrors({ [field]: bad })]).toEqual([
          bad,
          [expect.stringContaining(`targets: ${field} must be`)],
        ]);
    },
  );

  it('refuses an eks target without loader_image at plan; a k3s target needs none', () => {
    expect(eksErrors({ loader_image: null })).toEqual([
      expect.stringContaining('every target of target_kind eks needs loader_image'),
    ]);
    expect(errors(filled(one({ loader_image: null })))).toEqual([]);
  });

  it('refuses two targets on one backups prefix (each would restore the other)', () => {
    const shared = filled({
      orders: TWO_TARGETS.orders as Value,
      copy: { ...(TWO_TARGETS.search as Record<string, Value>), backup_prefix: 'orders' },
    });
    expect(errors(shared)).toEqual([
      expect.stringContaining('no two may share backup_bucket and backup_prefix'),
    ]);
  });

  it('refuses both forms at once, and neither', () => {
    expect(errors(filled(TWO_TARGETS as Record<string, Value>), { publish_bucket: 'acme-publish' })).toEqual([
      expect.stringContaining('Give either targets, or the single publisher'),
    ]);
    expect(errors({}, { publish_bucket: null, publish_providers: null, backup_bucket: null })).toEqual([
      expect.stringContaining('Give either targets, or the single publisher'),
    ]);
  });
});
