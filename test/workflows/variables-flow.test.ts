import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fromWorkflow } from '../../src/io/input-spec.js';
import { bringupInputs, parseBringupInputs } from '../../src/phases/bringup/inputs.js';
import { checkHealthInputs, parseCheckHealthInputs } from '../../src/phases/check-health/inputs.js';
import { COMMON_INPUTS } from '../../src/phases/phase.js';
import {
  parseRestorePrecheckInputs,
  restorePrecheckInputs,
} from '../../src/phases/restore-precheck/inputs.js';
import { checkModuleInputs } from '../../src/terraform/module-inputs.js';
import { readModuleVariables } from '../../src/terraform/module-variables.js';
import { INJECTED_VARIABLES } from '../../src/terraform/runner-contract.js';
import { type Context, evaluate, fill } from './expressions.js';
import { type Job, loadWorkflows, localPhase, type Step, type Workflow } from './load.js';

// Issue 10 (items 3 and 7), workflow side: the repository variables reach the phases, in every workflow
// that runs them. The steps' `with:` are filled the way the runner fills them (./expressions.ts) from a
// seed-style repository (marker openai_top.cs.md), then parsed by the phase's own input parser.

const workflows = loadWorkflows();
const VARS = {
  STANDBY_AWS_REGION: 'eu-west-1',
  STANDBY_PRIMARY_REGION: 'us-east-1',
  STANDBY_PUBLISH_BUCKET: 'acme-publish',
  STANDBY_PUBLISH_PREFIX: 'batch',
  STANDBY_PROVIDERS: 'openai/top,acme/daily',
  STANDBY_EXPECTED_MARKER_FILE: 'openai_top.cs.md',
  STANDBY_METRIC_NAMESPACE: 'Acme/Publishing',
  STANDBY_METRIC_DIMENSIONS: 'Pipeline=acme-publish/batch,Env=prod',
  STANDBY_RECEIPT_BUCKET: 'acme-standby-receipts',
  STANDBY_TF_STATE_BUCKET: 'acme-standby-tfstate',
  STANDBY_TF_LOCK_TABLE: 'standby-terraform-locks',
  STANDBY_TF_STATE_KEY_PREFIX: 'standby/runners',
  STANDBY_TF_STATE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/0b0c0d0e-1111-2222-3333-444455556666',
  STANDBY_TERRAFORM_VARS: '{"subnet_id":"subnet-0123456789abcdef0","backup_bucket":"acme-backups-dr"}',
  STANDBY_MAX_RUNNERS: '3',
  STANDBY_BACKUP_URI: 's3://acme-backups-dr/batch/backups/',
  STANDBY_ENABLE_TRIGGERS: 'true',
};

function stepsUsing(phase: string): { where: string; workflow: Workflow; job: Job; step: Step }[] {
  return workflows.flatMap((workflow) =>
    Object.entries(workflow.jobs).flatMap(([name, job]) =>
      (job.steps ?? [])
        .filter((step) => localPhase(step.uses) === phase)
        .map((step) => ({ where: `${workflow.file}:${name}`, workflow, job, step })),
    ),
  );
}

/** The inputs a step passes, filled from the repository variables and the run's contexts. */
function filled(
  workflow: Workflow,
  step: Step,
  inputs: Record<string, unknown> = {},
): (name: string) => string {
  const context: Context = {
    vars: VARS,
    inputs,
    github: { run_id: '4242', token: 'ghs_x', repository: 'acme/standby', api_url: 'https://api.github.com' },
    needs: {},
    steps: {},
  };
  context.env = Object.fromEntries(Object.entries(workflow.env ?? {}).map(([k, v]) => [k, fill(v, context)]));
  const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, fill(v, context)]));
  return (name) => given[name] || '';
}

const withDefaults =
  (specs: Record<string, { default?: string }>, read: (name: string) => string) => (name: string) =>
    read(name) || specs[name]?.default || COMMON_INPUTS[name]?.default || '';

describe('check-health gets the marker file, providers, regions and metric settings from the variables', () => {
  const steps = stepsUsing('check-health');
  it('in every workflow that runs it', () => {
    expect(steps.map((s) => s.where).sort()).toEqual([
      'dr-pipeline.yml:check-health',
      'freshness-target.yml:check-health',
    ]);
  });

  it.each(steps.map((s) => [s.where, s] as const))('%s', (_, { workflow, step }) => {
    const read = withDefaults(checkHealthInputs, filled(workflow, step, { 'publish-metrics': true }));
    const parsed = parseCheckHealthInputs(read);
    expect(parsed.layout).toEqual({
      bucket: 'acme-publish',
      prefix: 'batch',
      pairs: ['openai/top', 'acme/daily'],
      markerFile: 'openai_top.cs.md',
    });
    expect(parsed.publishRegion).toBe('us-east-1');
    expect(parsed.metrics).toEqual({
      namespace: 'Acme/Publishing',
      dimensions: [
        { Name: 'Pipeline', Value: 'acme-publish/batch' },
        { Name: 'Env', Value: 'prod' },
      ],
    });
    expect(parsed.enableTriggers).toBe(true);
    // The metrics go to the DR region (where the alarms are): the job's credentials region.
    const credentials = (workflow.jobs['check-health']?.steps ?? []).find((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(
      fill(credentials?.with?.['aws-region'], { vars: VARS, env: { AWS_REGION: VARS.STANDBY_AWS_REGION } }),
    ).toBe('eu-west-1');
  });

  it('BackupAgeHours (freshness-target.yml) goes to the same namespace and dimensions as the health metrics', () => {
    const ages = stepsUsing('restore-precheck').filter(
      ({ workflow, step }) => filled(workflow, step)('mode') === 'age-metric',
    );
    expect(ages.map((s) => s.where)).toEqual(['freshness-target.yml:backup-age']);
    for (const { workflow, step } of ages) {
      const parsed = parseRestorePrecheckInputs(withDefaults(restorePrecheckInputs, filled(workflow, step)));
      const check = steps.find(
        (s) => s.where === 'freshness-target.yml:check-health',
      ) as (typeof steps)[number];
      const health = parseCheckHealthInputs(
        withDefaults(checkHealthInputs, filled(check.workflow, check.step, { 'publish-metrics': true })),
      );
      expect(parsed.metrics).toEqual(health.metrics);
      expect(parsed.metrics?.namespace).toBe('Acme/Publishing');
    }
  });

  it('falls back to the defaults when a variable is unset (empty is not a value)', () => {
    const [{ workflow, step }] = steps as [(typeof steps)[number]];
    const read = withDefaults(checkHealthInputs, (name) => {
      const value = filled(workflow, step)(name);
      return name === 'expected-marker-file' || name.startsWith('metric-') ? '' : value;
    });
    const parsed = parseCheckHealthInputs(read);
    expect(parsed.layout.markerFile).toBe('_SUCCESS');
    expect(parsed.metrics.namespace).toBe('Standby/Pipeline');
  });
});

describe('the runner variables reach bringup, teardown and the sweeper', () => {
  it('bringup: terraform-vars, state settings, kind from the drill flag, the run id and the runner limit', () => {
    const { workflow, step } = stepsUsing('bringup')[0] as { workflow: Workflow; step: Step };
    for (const drill of [true, false]) {
      const parsed = parseBringupInputs(withDefaults(bringupInputs, filled(workflow, step, { drill })));
      expect(parsed).toMatchObject({
        kind: drill ? 'drill' : 'dr',
        githubRunId: '4242',
        maxRunners: 3,
        stateKeyPrefix: 'standby/runners',
        vars: { subnet_id: 'subnet-0123456789abcdef0', backup_bucket: 'acme-backups-dr' },
        backend: {
          bucket: 'acme-standby-tfstate',
          lockTable: 'standby-terraform-locks',
          kmsKeyId: VARS.STANDBY_TF_STATE_KMS_KEY_ID,
        },
      });
    }
  });

  it.each(['teardown', 'sweep', 'bringup'])(
    '%s gets the same state settings and terraform-vars everywhere it runs',
    (phase) => {
      const uses = stepsUsing(phase);
      expect(uses.length).toBeGreaterThan(0);
      for (const { where, step } of uses) {
        for (const [input, variable] of [
          ['state-bucket', 'STANDBY_TF_STATE_BUCKET'],
          ['state-key-prefix', 'STANDBY_TF_STATE_KEY_PREFIX'],
          ['state-kms-key-id', 'STANDBY_TF_STATE_KMS_KEY_ID'],
          ['lock-table', 'STANDBY_TF_LOCK_TABLE'],
        ])
          expect({ where, input, value: step.with?.[input] }).toEqual({
            where,
            input,
            value: fromWorkflow(`vars.${variable}`),
          });
        expect({ where, vars: step.with?.['terraform-vars'] }).toEqual({
          where,
          vars: fromWorkflow("vars.STANDBY_TERRAFORM_VARS || '{}'"),
        });
      }
    },
  );

  it('resolve-runner takes the instance id bringup output', () => {
    const step = stepsUsing('resolve-runner')[0]?.step;
    expect(step?.with?.['instance-id']).toBe(fromWorkflow('needs.stand-up.outputs.instance-id'));
  });

  it('the kind expression is what GitHub evaluates it to', () => {
    expect(evaluate("inputs.drill && 'drill' || 'dr'", { inputs: { drill: true } })).toBe('drill');
    expect(evaluate("inputs.drill && 'drill' || 'dr'", { inputs: { drill: false } })).toBe('dr');
    expect(evaluate("vars.X || '26'", { vars: {} })).toBe('26');
  });
});

describe('docs/workflows.md lists every runner-module variable a user must give', () => {
  const docs = readFileSync(path.resolve('docs/workflows.md'), 'utf8');
  const required = readModuleVariables(path.resolve('terraform/runner'))
    .filter((v) => !v.hasDefault)
    .map((v) => v.name);

  it('as required, and says bringup injects the rest', () => {
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) {
      if ((INJECTED_VARIABLES as readonly string[]).includes(name)) continue;
      expect({ name, documented: docs.includes(`| \`${name}\` | yes`) }).toEqual({ name, documented: true });
    }
    for (const name of INJECTED_VARIABLES) expect(docs).toContain(`\`${name}\``);
  });

  it('with an example STANDBY_TERRAFORM_VARS that leaves nothing unset', () => {
    const example = /STANDBY_TERRAFORM_VARS=(\{.*\})/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const given = JSON.parse(example as string);
    const injected = Object.fromEntries(INJECTED_VARIABLES.map((name) => [name, 'x']));
    const check = checkModuleInputs(readModuleVariables(path.resolve('terraform/runner')), injected, given);
    expect(check.missing).toEqual([]);
    expect(check.conflicts).toEqual([]);
  });
});
