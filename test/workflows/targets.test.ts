// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions such as ${{ x }} are literal strings here
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { admissionGroup, admissionJobName, admissionTarget } from '../../src/concurrency/admission.js';
import { runIdFromExecutionId } from '../../src/evidence/sources.js';
import { checkHealthInputs, parseCheckHealthInputs } from '../../src/phases/check-health/inputs.js';
import { parseRestoreInputs } from '../../src/phases/restore/inputs.js';
import {
  executionReceiptPrefix,
  targetOfExecutionId,
  targetReceiptPrefix,
} from '../../src/targets/receipts.js';
import { resource } from '../helpers/terraform-modules.js';
import type { Value } from '../terraform/hcl-eval.js';
import { EKS_LOADER_IMAGE, orchestrator } from '../terraform/orchestrator-fixture.js';
import { type Context, fill } from './expressions.js';
import { type Job, loadWorkflows, type Step, type Workflow } from './load.js';
import { callInputs, matrixLegs, simulate, workflowEnv } from './simulate.js';

// Many publishers in one deployment, workflow side (issue 22.7-22.9): every workflow names its target;
// concurrency groups, execution ids and receipts prefixes are per target, and freshness checks every
// target in one scheduled run. The STANDBY_TARGETS value used here is the one Terraform writes for two
// targets (test/terraform/targets.test.ts), so the two layers are held to each other.

const workflows = loadWorkflows();
const byFile = (file: string) => workflows.find((w) => w.file === file) as Workflow;
const jobOf = (file: string, name: string) => byFile(file).jobs[name] as Job;
const group = (job: Job, context: Context) => {
  const c = job.concurrency;
  const text = typeof c === 'string' ? c : (c?.group ?? '');
  // Group names are case-insensitive (docs.github.com, "Control the concurrency of workflows and jobs").
  return fill(text, context).toLowerCase();
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
    providers: [{ provider: 'openai', profile: 'top' }],
    backup_bucket: 'acme-backups-dr',
    backup_prefix: 'search',
    namespace: 'search',
    target_kind: 'eks',
    storage_class: 'gp3-encrypted',
    loader_image: EKS_LOADER_IMAGE,
  },
};

let VARS: Record<string, string>;
beforeAll(async () => {
  const o = await orchestrator({
    publish_bucket: null,
    publish_providers: null,
    backup_bucket: null,
    targets: TWO_TARGETS,
  });
  VARS = {
    ...(o.value('${local.repository_variables}') as Record<string, string>),
    STANDBY_NAMESPACE: 'app',
  };
  // The alarms' dimensions, to compare with what check-health is given below.
  const block = resource(o.module, 'aws_cloudwatch_metric_alarm', 'freshness');
  ALARM_DIMENSIONS = Object.fromEntries(
    ['orders', 'search'].map((t) => [
      t,
      o.instanceValue(block, t, block.dimensions) as Record<string, string>,
    ]),
  );
});
let ALARM_DIMENSIONS: Record<string, Record<string, string>>;

describe('per-target concurrency: a drill of A and a real DR of B never share a group', () => {
  const drill = (target: string) => group(jobOf('drill.yml', 'dr'), { matrix: { target } });
  const alarmAdmission = (target: string) =>
    group(jobOf('alarm.yml', 'admission'), { needs: { alarm: { outputs: { target } } } });
  const freshnessAdmission = (target: string) =>
    group(jobOf('freshness-target.yml', 'admission'), { inputs: { target } });
  const freshnessCheck = (target: string) =>
    group(jobOf('freshness-target.yml', 'check-health'), { inputs: { target } });

  it('every group names its target', () => {
    expect(drill('orders')).toBe('standby-drill-orders');
    expect(alarmAdmission('search')).toBe(admissionGroup('search'));
    expect(freshnessAdmission('search')).toBe(admissionGroup('search'));
    expect(freshnessCheck('orders')).toBe('standby-freshness-orders');
  });

  it('a drill of orders and the real DR of search (alarm- or schedule-started) hold different groups', () => {
    const real = [alarmAdmission('search'), freshnessAdmission('search')];
    expect(real).not.toContain(drill('orders'));
    // The real DR pipeline itself holds no group at all: only its admission does.
    expect(jobOf('alarm.yml', 'dr').concurrency).toBeUndefined();
    expect(jobOf('freshness-target.yml', 'dr').concurrency).toBeUndefined();
  });

  it("one target's admission never waits behind another target's; the same target's two entry points share one", () => {
    expect(alarmAdmission('orders')).not.toBe(alarmAdmission('search'));
    expect(freshnessAdmission('orders')).not.toBe(alarmAdmission('search'));
    expect(alarmAdmission('orders')).toBe(freshnessAdmission('orders'));
  });

  it("drills of two targets run side by side; a newer drill replaces only its own target's pending one", () => {
    expect(drill('orders')).not.toBe(drill('search'));
    expect(freshnessCheck('orders')).not.toBe(freshnessCheck('search'));
  });

  it('the admission job is named per target as admit looks it up (also inside freshness.yml, as <caller> / <job>)', () => {
    const alarmName = fill(jobOf('alarm.yml', 'admission').name, {
      needs: { alarm: { outputs: { target: 'search' } } },
    });
    const freshnessName = fill(jobOf('freshness-target.yml', 'admission').name, {
      inputs: { target: 'orders' },
    });
    expect(alarmName).toBe(admissionJobName('search'));
    expect(admissionTarget(alarmName)).toBe('search');
    expect(admissionTarget(`target (orders) / ${freshnessName}`)).toBe('orders');
    // A run in flight from before targets (job `admission`) is target default's.
    expect(admissionTarget('admission')).toBe('default');
    expect(admissionTarget('dr / check-health')).toBeUndefined();
  });
});

describe('freshness checks every target in one scheduled run', () => {
  const legs = (vars: Record<string, string>) =>
    matrixLegs(jobOf('freshness.yml', 'target'), { vars, github: { event_name: 'schedule' } });

  it('a matrix with one leg per target STANDBY_TARGETS names; without it, the one target default', () => {
    expect(legs(VARS)).toEqual([{ target: 'orders' }, { target: 'search' }]);
    const { STANDBY_TARGETS: _, ...without } = VARS;
    expect(legs(without)).toEqual([{ target: 'default' }]);
    const target = jobOf('freshness.yml', 'target') as Job & { strategy: { 'fail-fast': boolean } };
    expect(target.strategy['fail-fast']).toBe(false);
  });

  it.each(['orders', 'search'])(
    "%s: check-health gets its own publisher, dimensions (the alarms'), receipts prefix and execution id",
    (name) => {
      const leg = legs(VARS).find((l) => l.target === name) as { target: string };
      const caller = jobOf('freshness.yml', 'target');
      const given = Object.fromEntries(
        Object.entries(caller.with ?? {}).map(([k, v]) => [k, fill(v, { matrix: leg })]),
      );
      const callee = byFile('freshness-target.yml');
      const inputs = callInputs(callee, given);
      const run = simulate(callee, { inputs, vars: VARS, github: { event_name: 'schedule', run_id: '42' } });
      const filled = run['check-health']?.inputs.phase as Record<string, string>;
      const parsed = parseCheckHealthInputs(
        (input) => filled[input] || checkHealthInputs[input]?.default || '',
      );
      const target = JSON.parse(VARS.STANDBY_TARGETS as string).targets[name];
      expect(parsed.layout.bucket).toBe(target.publish_bucket);
      expect(filled.providers).toBe(target.providers);
      const dims = Object.fromEntries(parsed.metrics.dimensions.map((d) => [d.Name, d.Value]));
      expect(dims).toEqual(ALARM_DIMENSIONS[name]);
      expect(filled['receipt-prefix']).toBe(`standby/receipts/targets/${name}`);
      expect(filled['execution-id']).toBe(`freshness-${name}-42`);
    },
  );

  it('the two targets get different dimensions (each its own alarm series)', () => {
    expect(ALARM_DIMENSIONS.orders).not.toEqual(ALARM_DIMENSIONS.search);
  });

  it('target default without STANDBY_TARGETS: the single-publisher variables, prefix and ids as before targets', () => {
    const { STANDBY_TARGETS: _, ...without } = VARS;
    const single = {
      ...without,
      STANDBY_PUBLISH_BUCKET: 'acme-publish',
      STANDBY_PUBLISH_PREFIX: 'batch',
      STANDBY_PROVIDERS: 'acme/daily',
      STANDBY_METRIC_DIMENSIONS: 'Pipeline=acme-publish/batch',
    };
    const run = simulate(byFile('freshness-target.yml'), {
      inputs: { target: 'default' },
      vars: single,
      github: { run_id: '42' },
    });
    const filled = run['check-health']?.inputs.phase as Record<string, string>;
    expect(filled).toMatchObject({
      'publish-bucket': 'acme-publish',
      'publish-prefix': 'batch',
      'metric-dimensions': 'Pipeline=acme-publish/batch',
      'receipt-prefix': 'standby/receipts',
      'execution-id': 'freshness-42',
    });
  });
});

describe('the pipeline looks a target up by name, the same way everywhere', () => {
  const lookups = (file: string) =>
    Object.fromEntries(
      Object.entries(byFile(file).env ?? {}).filter(
        ([k]) => k.startsWith('TARGET') || k === 'RECEIPT_PREFIX',
      ),
    );

  it.each([
    ['default', undefined],
    ['orders', undefined],
    ['default', 'dr/receipts'],
    ['orders', 'dr/receipts'],
  ])('target %s, STANDBY_RECEIPT_PREFIX %s: the receipts prefix is targetReceiptPrefix', (target, base) => {
    const vars = base ? { STANDBY_RECEIPT_PREFIX: base } : {};
    const prefix = fill(byFile('dr-pipeline.yml').env?.RECEIPT_PREFIX, { inputs: { target }, vars });
    expect(prefix).toBe(targetReceiptPrefix(base ?? 'standby/receipts', target));
  });

  // Only the restore reads these; freshness-target.yml restores nothing.
  const RESTORE_ONLY = ['TARGET_STORAGE_CLASS', 'TARGET_LOADER_IMAGE'];

  it('dr-pipeline.yml and freshness-target.yml carry one lookup (every TARGET_* and the receipts prefix)', () => {
    const pipeline = lookups('dr-pipeline.yml');
    expect(Object.keys(pipeline).length).toBeGreaterThan(8);
    for (const name of RESTORE_ONLY) expect(pipeline[name]).toContain('fromJSON(vars.STANDBY_TARGETS)');
    const shared = Object.fromEntries(Object.entries(pipeline).filter(([k]) => !RESTORE_ONLY.includes(k)));
    expect(lookups('freshness-target.yml')).toEqual(shared);
  });

  it("the restore step of an eks target gets the target's storage class and loader image; a k3s target's gets neither", () => {
    const pipeline = byFile('dr-pipeline.yml');
    const restore = Object.values(pipeline.jobs)
      .flatMap((job) => job.steps ?? [])
      .find((step) => step.uses === './actions/restore') as Step;
    const restoreInputs = (target: string, vars: Record<string, string>) => {
      // As drill.yml calls the pipeline for that target.
      const called = Object.fromEntries(
        Object.entries(jobOf('drill.yml', 'dr').with ?? {}).map(([k, v]) => [
          k,
          fill(v, {
            matrix: { target },
            inputs: {
              ticket: 'T-1',
              teardown: true,
              'plan-only': false,
              'run-job': false,
              'hold-minutes': 60,
            },
            github: { run_id: '7', event_name: 'workflow_dispatch' },
          }),
        ]),
      );
      const inputs = callInputs(pipeline, called);
      const env = workflowEnv(pipeline, { inputs, vars, github: { run_id: '7' } });
      const context = { inputs, vars, env, needs: {}, steps: {}, github: { run_id: '7' } };
      return {
        kind: fill(restore.with?.['target-kind'], context),
        storageClass: fill(restore.with?.['storage-class'], context),
        loaderImage: fill(restore.with?.['loader-image'], context),
      };
    };
    expect(restoreInputs('search', VARS)).toEqual({
      kind: 'eks',
      storageClass: 'gp3-encrypted',
      loaderImage: EKS_LOADER_IMAGE,
    });
    // What the workflow passes is what the phase takes (its own checks, test/fixtures/eks-restore-input-cases.json).
    const given: Record<string, string> = {
      'instance-id': 'i-0123456789abcdef0',
      namespace: 'search',
      'state-claim': 'index-state',
      'wait-seconds': '120',
      'timeout-seconds': '1800',
      'storage-class': 'gp3-encrypted',
      'loader-image': EKS_LOADER_IMAGE,
    };
    expect(parseRestoreInputs((name) => given[name] ?? '')).toMatchObject({
      storageClass: 'gp3-encrypted',
      loaderImage: EKS_LOADER_IMAGE,
    });
    expect(restoreInputs('orders', VARS)).toEqual({ kind: 'k3s', storageClass: '', loaderImage: '' });
    // Without STANDBY_TARGETS, target default (k3s) as before targets.
    expect(restoreInputs('default', { STANDBY_NAMESPACE: 'app' })).toEqual({
      kind: 'k3s',
      storageClass: '',
      loaderImage: '',
    });
  });

  it("a drill of search restores search's backups into its namespace, under its own receipts and execution id", () => {
    const drill = jobOf('drill.yml', 'dr');
    const given = Object.fromEntries(
      Object.entries(drill.with ?? {}).map(([k, v]) => [
        k,
        fill(v, {
          matrix: { target: 'search' },
          inputs: { ticket: 'T-1', teardown: true, 'plan-only': false, 'run-job': false, 'hold-minutes': 60 },
          github: { run_id: '7', event_name: 'workflow_dispatch' },
        }),
      ]),
    );
    expect(given['execution-id']).toBe('drill-search-7');
    const pipeline = byFile('dr-pipeline.yml');
    const env = workflowEnv(pipeline, {
      inputs: callInputs(pipeline, given),
      vars: VARS,
      github: { run_id: '7' },
    });
    expect(env).toMatchObject({
      TARGET: 'search',
      TARGET_KIND: 'eks',
      TARGET_PUBLISH_BUCKET: 'search-publish',
      TARGET_PUBLISH_PREFIX: '',
      TARGET_BACKUP_URI: 's3://acme-backups-dr/search/backups/',
      TARGET_NAMESPACE: 'search',
      RECEIPT_PREFIX: 'standby/receipts/targets/search',
    });
    // orders declares no namespace: the deployment's STANDBY_NAMESPACE.
    const orders = workflowEnv(pipeline, {
      inputs: callInputs(pipeline, { ...given, target: 'orders' }),
      vars: VARS,
      github: { run_id: '7' },
    });
    expect(orders.TARGET_NAMESPACE).toBe('app');
    expect(orders.TARGET_BACKUP_URI).toBe('s3://acme-backups-dr/orders/backups/');
  });
});

describe("the pipeline's target check (before any spend)", () => {
  const step = (jobOf('dr-pipeline.yml', 'check-health').steps ?? []).find(
    (s) => s.name === 'Check the target',
  ) as Step;
  const run = (target: string, targets: string | undefined) =>
    spawnSync('bash', ['-e', '-c', step.run as string], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TARGET: target, TARGETS: targets ?? '' },
    });

  it('runs before the first AWS credentials of the run', () => {
    const steps = jobOf('dr-pipeline.yml', 'check-health').steps ?? [];
    const firstAws = steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(steps.indexOf(step)).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf(step)).toBeLessThan(firstAws);
  });

  it.each([
    ['default', undefined, 0],
    ['orders', undefined, 1],
    ['orders', 'TERRAFORM', 0],
    ['search', 'TERRAFORM', 0],
    ['default', 'TERRAFORM', 1],
    ['billing', 'TERRAFORM', 1],
    ['Orders', 'TERRAFORM', 1],
    ['orders; echo x', 'TERRAFORM', 1],
    ['', undefined, 1],
  ])('target %j with STANDBY_TARGETS %s exits %i', (target, targets, code) => {
    const ran = run(target, targets === 'TERRAFORM' ? VARS.STANDBY_TARGETS : targets);
    expect({ target, status: ran.status }).toEqual({ target, status: code });
    if (code) expect(ran.stdout).toContain('::error::');
  });
});

describe("alarm.yml reads the target from the alarm's name", () => {
  const script = (jobOf('alarm.yml', 'alarm').steps ?? []).find((s) => s.id === 'check')?.run as string;
  const targetOf = (env: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'alarm-'));
    const output = path.join(dir, 'output');
    writeFileSync(output, '');
    const ran = spawnSync('bash', ['-e', '-c', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
        ALARM_CHANGED_AT: '2026-12-04T01:00:00Z',
        DRY_RUN: 'false',
        ...env,
      },
    });
    return { status: ran.status, target: /^target=(.*)$/m.exec(readFileSync(output, 'utf8'))?.[1] };
  };

  it.each([
    ['standby-pipeline-freshness-orders', 'orders'],
    ['standby-publish-correctness-search', 'search'],
    ['standby-pipeline-freshness', 'default'],
    ['standby-publish-correctness', 'default'],
  ])('%s is target %s', (name, target) => {
    expect(targetOf({ ALARM_NAME: name })).toEqual({ status: 0, target });
  });

  it('every alarm name Terraform gives a target maps back to it', () => {
    const targets = JSON.parse(VARS.STANDBY_TARGETS as string).targets as Record<
      string,
      { alarms: string[] }
    >;
    for (const [name, target] of Object.entries(targets))
      for (const alarm of target.alarms)
        expect(targetOf({ ALARM_NAME: alarm })).toEqual({ status: 0, target: name });
  });

  it('a given target wins; a malformed one is refused', () => {
    expect(targetOf({ ALARM_NAME: 'anything', GIVEN_TARGET: 'orders' })).toEqual({
      status: 0,
      target: 'orders',
    });
    expect(targetOf({ ALARM_NAME: 'standby-pipeline-freshness-Bad_Name' }).status).toBe(1);
  });
});

describe('an execution id names its target: one table for the TypeScript reader and the workflows', () => {
  const table = JSON.parse(readFileSync('test/fixtures/execution-target-cases.json', 'utf8')) as {
    cases: { id: string; target: string; runId?: string }[];
  };
  const step = (file: string, job: string) =>
    (jobOf(file, job).steps ?? []).find((s) => s.id === 'receipts') as Step;
  const shellPrefix = (script: string, id: string, base: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'receipts-'));
    const output = path.join(dir, 'output');
    writeFileSync(output, '');
    const ran = spawnSync('bash', ['-e', '-c', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, EXECUTION_ID: id, BASE: base },
    });
    expect(ran.status).toBe(0);
    return /^receipt-prefix=(.*)$/m.exec(readFileSync(output, 'utf8'))?.[1];
  };

  it('teardown.yml and activate.yml run the same step, and pass its folder to the phase', () => {
    expect(step('teardown.yml', 'teardown')).toEqual(step('activate.yml', 'activate'));
    for (const [file, job] of [
      ['teardown.yml', 'teardown'],
      ['activate.yml', 'activate'],
    ] as const) {
      const phase = (jobOf(file, job).steps ?? []).find((s) => s.uses?.startsWith('./actions/'));
      expect(phase?.with?.['receipt-prefix']).toBe('${{ steps.receipts.outputs.receipt-prefix }}');
    }
  });

  it.each(table.cases)('$id: target $target', ({ id, target, runId }) => {
    expect(targetOfExecutionId(id)).toBe(target);
    expect(runIdFromExecutionId(id)).toBe(runId);
    const script = step('teardown.yml', 'teardown').run as string;
    expect(shellPrefix(script, id, 'standby/receipts')).toBe(executionReceiptPrefix('standby/receipts', id));
    expect(executionReceiptPrefix('standby/receipts', id)).toBe(
      targetReceiptPrefix('standby/receipts', target),
    );
  });

  it('every execution id the workflows build for a target reads back as that target', () => {
    const drillId = fill(jobOf('drill.yml', 'dr').with?.['execution-id'], {
      matrix: { target: 'orders' },
      github: { run_id: '7' },
    });
    const alarmId = fill(jobOf('alarm.yml', 'dr').with?.['execution-id'], {
      needs: { alarm: { outputs: { target: 'search' } } },
      github: { run_id: '8' },
    });
    expect([targetOfExecutionId(drillId), targetOfExecutionId(alarmId)]).toEqual(['orders', 'search']);
    expect([runIdFromExecutionId(drillId), runIdFromExecutionId(alarmId)]).toEqual(['7', '8']);
  });
});

describe("every phase step records its target (the phases' target and target-kind inputs)", () => {
  const phaseSteps = (file: string) =>
    Object.entries(byFile(file).jobs).flatMap(([job, j]) =>
      (j.steps ?? []).filter((s) => s.uses?.startsWith('./actions/')).map((step) => ({ job, step })),
    );

  it.each(['dr-pipeline.yml', 'freshness-target.yml'])(
    '%s: every phase step passes the looked-up target',
    (file) => {
      const steps = phaseSteps(file);
      expect(steps.length).toBeGreaterThan(0);
      for (const { job, step } of steps)
        expect({ job, uses: step.uses, target: step.with?.target, kind: step.with?.['target-kind'] }).toEqual(
          {
            job,
            uses: step.uses,
            target: '${{ env.TARGET }}',
            kind: '${{ env.TARGET_KIND }}',
          },
        );
    },
  );

  it.each(['activate.yml', 'teardown.yml'])(
    "%s: the target the execution id names, and that target's kind",
    (file) => {
      const [only] = phaseSteps(file);
      const context = { steps: { receipts: { outputs: { target: 'search' } } }, vars: VARS };
      expect(fill(only?.step.with?.target, context)).toBe('search');
      expect(fill(only?.step.with?.['target-kind'], context)).toBe('eks');
      expect(fill(only?.step.with?.['target-kind'], { ...context, vars: {} })).toBe('k3s');
    },
  );
});
