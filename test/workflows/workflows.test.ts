import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fromWorkflow } from '../../src/io/input-spec.js';
import { JOBS_BEFORE_GATE } from '../../src/pipeline/jobs.js';
import { type Job, loadWorkflows, localPhase, needsOf, usesAws, type Workflow } from './load.js';
import { actionShape } from './phase-contracts.js';

const workflows = loadWorkflows();
const byFile = (file: string) => {
  const found = workflows.find((w) => w.file === file);
  if (!found) throw new Error(`.github/workflows/${file} is missing`);
  return found;
};
const pipeline = byFile('dr-pipeline.yml');
const job = (workflow: Workflow, name: string): Job => {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`${workflow.file} has no job '${name}'`);
  return found;
};
const callers = () =>
  workflows.flatMap((w) =>
    Object.entries(w.jobs)
      .filter(([, j]) => j.uses === './.github/workflows/dr-pipeline.yml')
      .map(([name, j]) => ({ workflow: w, name, job: j })),
  );
const allJobs = () =>
  workflows.flatMap((w) => Object.entries(w.jobs).map(([name, j]) => ({ workflow: w, name, job: j })));
// The jobs before the gate, each needing the one before (which phases each runs: pipeline-layout.test.ts).
const JOB_ORDER = JOBS_BEFORE_GATE;

describe('the workflow set', () => {
  it('has the pipeline, drill, freshness, alarm, teardown and CI workflows', () => {
    expect(workflows.map((w) => w.file)).toEqual(
      expect.arrayContaining([
        'alarm.yml',
        'ci.yml',
        'dr-pipeline.yml',
        'drill.yml',
        'freshness.yml',
        'teardown.yml',
      ]),
    );
    expect(Object.keys(pipeline.on)).toEqual(['workflow_call']);
  });
});

describe('the DR pipeline', () => {
  it('chains the jobs before the gate, each job needing the one before', () => {
    for (let i = 1; i < JOB_ORDER.length; i++) {
      expect(needsOf(job(pipeline, JOB_ORDER[i] as string))).toContain(JOB_ORDER[i - 1]);
    }
    expect(job(pipeline, 'stand-up').if).toBe("needs.check-health.outputs.proceed == 'true'");
  });

  it('puts the approval gate on the protected environment from an input defaulting to dr-promotion', () => {
    const gate = job(pipeline, 'approval-gate');
    expect(gate.environment).toEqual({ name: fromWorkflow('inputs.environment') });
    const inputs = (pipeline.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(inputs.environment?.default).toBe('dr-promotion');
    expect(needsOf(gate)).toEqual(['recover']);
    expect(gate.permissions).toEqual({});
    expect(gate.steps?.every((s) => s.uses === undefined)).toBe(true);
  });

  it('runs promote after the gate on approval and on rejection, never when cancelled', () => {
    const promote = job(pipeline, 'promote');
    expect(needsOf(promote)).toContain('approval-gate');
    const condition = promote.if?.replace(/\s+/g, ' ') ?? '';
    expect(condition).toContain('!cancelled()');
    expect(condition).toContain("needs.recover.result == 'success'");
    expect(condition).toContain(
      "needs.approval-gate.result == 'success' || needs.approval-gate.result == 'failure'",
    );
    expect(promote.steps?.find((s) => localPhase(s.uses) === 'promote')?.with?.['github-token']).toBe(
      fromWorkflow('github.token'),
    );
    const notifyStep = promote.steps?.find((s) => localPhase(s.uses) === 'notify');
    expect(String(notifyStep?.with?.event)).toContain("'rejected'");
  });

  it('tears drills down always (also after a failure after bringup), real DR never on its own', () => {
    const teardown = job(pipeline, 'teardown');
    const condition = teardown.if?.replace(/\s+/g, ' ') ?? '';
    expect(condition).toMatch(/^always\(\) && inputs\.drill && inputs\.teardown/);
    expect(condition).toContain("needs.stand-up.result != 'skipped'");
    expect(condition).toContain("needs.stand-up.outputs.bringup-outcome != 'skipped'");
    const after = ['stand-up', 'recover', 'hold'];
    expect(needsOf(teardown)).toEqual(expect.arrayContaining(after));
    // Bounded by the hold window, not by the gate: teardown never waits for a reviewer.
    expect(needsOf(teardown)).not.toContain('approval-gate');
    expect(needsOf(teardown)).not.toContain('promote');
    // Who calls it with drill: true? Only the drill workflow; alarm and schedule are real DR.
    const drillFlags = Object.fromEntries(callers().map((c) => [c.workflow.file, c.job.with?.drill]));
    expect(drillFlags).toEqual({ 'alarm.yml': false, 'drill.yml': true, 'freshness-target.yml': false });
    const drillInputs = (
      byFile('drill.yml').on.workflow_dispatch as { inputs: Record<string, { default?: unknown }> }
    ).inputs;
    expect(drillInputs.teardown?.default).toBe(true);
  });

  it('runs the failure job on any failure, knowing every phase job, without treating a recorded rejection as failure', () => {
    const failure = job(pipeline, 'failure');
    const condition = failure.if?.replace(/\s+/g, ' ') ?? '';
    expect(condition).toMatch(/^failure\(\)/);
    expect(condition).toContain(
      "!(needs.approval-gate.result == 'failure' && needs.promote.result == 'success'",
    );
    const phaseJobs = Object.keys(pipeline.jobs).filter((n) => !['failure', 'report'].includes(n));
    expect(needsOf(failure).sort()).toEqual(phaseJobs.sort());
    const step = failure.steps?.find((s) => localPhase(s.uses) === 'failure');
    expect(step?.with?.['job-results']).toBe(fromWorkflow('toJSON(needs)'));
  });

  it('always reports: receipts uploaded as an artifact, timeline with RTO and RPO in the job summary', () => {
    const report = job(pipeline, 'report');
    expect(report.if).toMatch(/^always\(\)/);
    expect(needsOf(report).sort()).toEqual(
      Object.keys(pipeline.jobs)
        .filter((n) => n !== 'report')
        .sort(),
    );
    expect(report.steps?.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(
      report.steps?.some(
        (s) =>
          s.run?.includes('dist/standby.js evidence report evidence') &&
          s.run.includes('GITHUB_STEP_SUMMARY'),
      ),
    ).toBe(true);
  });

  it('carries ids between jobs through declared job outputs of jobs it needs', () => {
    const references = [...pipeline.text.matchAll(/needs\.([a-z-]+)\.outputs\.([a-z-]+)/g)];
    expect(references.length).toBeGreaterThan(10);
    for (const [, producer, output] of references) {
      expect(pipeline.jobs[producer as string]?.outputs).toHaveProperty([output as string]);
    }
    for (const [name, j] of Object.entries(pipeline.jobs)) {
      for (const [, producer] of JSON.stringify(j).matchAll(/needs\.([a-z-]+)\.outputs/g)) {
        expect({ job: name, needs: needsOf(j).includes(producer as string) }).toEqual({
          job: name,
          needs: true,
        });
      }
    }
    expect(pipeline.jobs['check-health']?.outputs?.['execution-id']).toBeDefined();
  });
});

describe('callers of the reusable pipeline', () => {
  it('pass only inputs the pipeline declares, every required one, booleans as booleans', () => {
    const declared = (
      pipeline.on.workflow_call as { inputs: Record<string, { type: string; required?: boolean }> }
    ).inputs;
    expect(
      callers()
        .map((c) => c.workflow.file)
        .sort(),
    ).toEqual(['alarm.yml', 'drill.yml', 'freshness-target.yml']);
    for (const { workflow, job: j } of callers()) {
      const given = j.with ?? {};
      const unknown = Object.keys(given).filter((name) => !(name in declared));
      const missing = Object.entries(declared)
        .filter(([name, spec]) => spec.required && !(name in given))
        .map(([name]) => name);
      const badBooleans = Object.entries(given)
        .filter(
          ([name, value]) =>
            declared[name]?.type === 'boolean' &&
            typeof value !== 'boolean' &&
            !/^\$\{\{.*\}\}$/.test(String(value)),
        )
        .map(([name]) => name);
      expect({ file: workflow.file, unknown, missing, badBooleans }).toEqual({
        file: workflow.file,
        unknown: [],
        missing: [],
        badBooleans: [],
      });
    }
  });
});

describe('phase actions are used as their definitions (or contracts) say', () => {
  const steps = allJobs().flatMap(({ workflow, name, job: j }) =>
    (j.steps ?? [])
      .filter((s) => localPhase(s.uses))
      .map((s) => ({ where: `${workflow.file}:${name}`, step: s, job: j })),
  );

  it('every local action is a known phase, and comes after a checkout', () => {
    expect(steps.length).toBeGreaterThan(10);
    for (const { where, step, job: j } of steps) {
      expect({ where, known: actionShape(localPhase(step.uses) as string) !== undefined }).toEqual({
        where,
        known: true,
      });
      const index = j.steps?.indexOf(step) ?? -1;
      const checkout = j.steps?.findIndex((s) => s.uses?.startsWith('actions/checkout@')) ?? -1;
      expect({ where, checkoutFirst: checkout >= 0 && checkout < index }).toEqual({
        where,
        checkoutFirst: true,
      });
    }
  });

  it('passes only declared inputs, and every required one', () => {
    for (const { where, step } of steps) {
      const shape = actionShape(localPhase(step.uses) as string);
      const given = Object.keys(step.with ?? {});
      const unknown = given.filter((name) => !(name in (shape?.inputs ?? {})));
      const missing = Object.entries(shape?.inputs ?? {})
        .filter(([name, spec]) => spec.required && !given.includes(name))
        .map(([name]) => name);
      expect({ where, phase: step.uses, unknown, missing }).toEqual({
        where,
        phase: step.uses,
        unknown: [],
        missing: [],
      });
    }
  });

  it('reads only outputs the phase declares', () => {
    for (const { workflow, name, job: j } of allJobs()) {
      const phaseOf = Object.fromEntries(
        (j.steps ?? []).filter((s) => s.id).map((s) => [s.id, localPhase(s.uses)]),
      );
      for (const [, id, output] of JSON.stringify(j).matchAll(/steps\.([a-z-]+)\.outputs\.([a-z-]+)/g)) {
        const phase = phaseOf[id as string];
        if (!phase) continue;
        expect({
          where: `${workflow.file}:${name}`,
          output,
          declared: actionShape(phase)?.outputs.includes(output as string),
        }).toEqual({
          where: `${workflow.file}:${name}`,
          output,
          declared: true,
        });
      }
    }
  });
});

describe('security and reliability rules for every workflow', () => {
  it('pins every action outside this repository to a full commit SHA with its version noted', () => {
    const uses = workflows.flatMap((w) =>
      [...w.text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map((m) => ({
        file: w.file,
        ref: m[1] as string,
        rest: m[2] as string,
      })),
    );
    const external = uses.filter((u) => !u.ref.startsWith('./'));
    expect(external.length).toBeGreaterThan(10);
    for (const u of external) {
      expect({
        ...u,
        pinned: /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u.ref),
        versionNoted: /#\s*v\d+\.\d+\.\d+/.test(u.rest),
      }).toEqual({
        ...u,
        pinned: true,
        versionNoted: true,
      });
    }
  });

  it('grants nothing at the top level and exactly what each job uses', () => {
    // A caller grants the union of what the called jobs request, write winning over read.
    const calleePermissions: Record<string, string> = {};
    for (const j of Object.values(pipeline.jobs))
      for (const [scope, level] of Object.entries(j.permissions ?? {}))
        if (calleePermissions[scope] !== 'write') calleePermissions[scope] = level;
    for (const w of workflows) {
      expect({ file: w.file, top: w.permissions }).toEqual({ file: w.file, top: {} });
      for (const [name, j] of Object.entries(w.jobs)) {
        const where = `${w.file}:${name}`;
        if (j.uses) {
          // A caller grants the union of what the called workflow's jobs need, no more.
          expect({ where, permissions: j.permissions }).toEqual({ where, permissions: calleePermissions });
          continue;
        }
        const expected: Record<string, string> = {};
        if ((j.steps ?? []).some((s) => s.uses?.startsWith('actions/checkout@'))) expected.contents = 'read';
        if (usesAws(j)) expected['id-token'] = 'write';
        // The run's own token reads runs and jobs (promote, the sweeper, admission, the drill hold, the drill
        // age); only the drill's release cancels its own run.
        const readsRuns = (j.steps ?? []).some(
          (s) =>
            ['promote', 'sweep', 'activate'].includes(localPhase(s.uses) ?? '') ||
            // drill-age confirms each proving drill's run (GET .../actions/runs/{id}).
            /dist\/standby\.js (admit|drill-hold|drill-age) /.test(s.run ?? ''),
        );
        if (readsRuns) expected.actions = 'read';
        if ((j.steps ?? []).some((s) => /dist\/standby\.js drill-release /.test(s.run ?? '')))
          expected.actions = 'write';
        // The release job moves the major tag and creates the release (git refs and releases REST APIs).
        if ((j.steps ?? []).some((s) => /gh release create /.test(s.run ?? ''))) expected.contents = 'write';
        // actions/attest signs with an OIDC-issued certificate and stores the attestation (its README).
        if ((j.steps ?? []).some((s) => s.uses?.startsWith('actions/attest@'))) {
          expected['id-token'] = 'write';
          expected.attestations = 'write';
        }
        expect({ where, permissions: j.permissions }).toEqual({ where, permissions: expected });
      }
    }
  });

  it("reaches AWS only through OIDC, assuming the role whose trust names the job's environment", () => {
    // terraform/orchestrator (role_environments): the environment each role's trust names.
    const expectedEnvironment = {
      DETECT: 'standby-detect',
      INFRA: 'standby-infra',
      OPERATE: 'standby-operate',
      FAILBACK: 'dr-promotion',
    };
    for (const { workflow, name, job: j } of allJobs()) {
      const where = `${workflow.file}:${name}`;
      for (const step of (j.steps ?? []).filter((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      )) {
        const w = step.with ?? {};
        const concern = /^\$\{\{ vars\.STANDBY_ROLE_ARN_(DETECT|INFRA|OPERATE|FAILBACK) \}\}$/.exec(
          String(w['role-to-assume']),
        )?.[1];
        expect({
          where,
          concern: concern ?? String(w['role-to-assume']),
          keys: 'aws-access-key-id' in w || 'aws-secret-access-key' in w,
        }).toEqual({
          where,
          concern: expect.stringMatching(/^(DETECT|INFRA|OPERATE|FAILBACK)$/),
          keys: false,
        });
        expect({ where, environment: j.environment }).toEqual({
          where,
          environment: expectedEnvironment[concern as keyof typeof expectedEnvironment],
        });
      }
      if (!usesAws(j) && !j.uses) {
        expect({ where, environment: j.environment }).toEqual({
          where,
          // A drill's gate takes the environment the caller names; activation's and teardown's are fixed
          // by a repository variable.
          environment:
            name !== 'approval-gate'
              ? undefined
              : workflow.file === 'activate.yml'
                ? { name: fromWorkflow("vars.STANDBY_PROMOTION_ENVIRONMENT || 'dr-promotion'") }
                : workflow.file === 'teardown.yml'
                  ? { name: fromWorkflow("vars.STANDBY_TEARDOWN_ENVIRONMENT || 'standby-teardown'") }
                  : { name: fromWorkflow('inputs.environment') },
        });
      }
    }
    expect(workflows.some((w) => /secrets\.AWS_/.test(w.text))).toBe(false);
  });

  it('installs the Terraform version pinned in terraform/versions.json', () => {
    for (const { workflow, name, job: j } of allJobs()) {
      const setup = (j.steps ?? []).find((s) => s.uses?.startsWith('hashicorp/setup-terraform@'));
      if (!setup) continue;
      const read = (j.steps ?? []).find((s) => s.id === 'versions');
      expect({
        where: `${workflow.file}:${name}`,
        version: setup.with?.terraform_version,
        reads: read?.run,
      }).toEqual({
        where: `${workflow.file}:${name}`,
        version: fromWorkflow('steps.versions.outputs.terraform'),
        reads: expect.stringContaining('jq -r .terraform terraform/versions.json'),
      });
    }
  });

  it('sets timeout-minutes on every job that runs steps', () => {
    for (const { workflow, name, job: j } of allJobs()) {
      if (j.uses) continue;
      expect({
        where: `${workflow.file}:${name}`,
        timeout: typeof j['timeout-minutes'] === 'number' && j['timeout-minutes'] > 0,
      }).toEqual({
        where: `${workflow.file}:${name}`,
        timeout: true,
      });
    }
  });

  // Which group each workflow and job holds, and what can cancel what: test/workflows/concurrency.test.ts.

  it('never splices workflow inputs or event data into shell scripts', () => {
    for (const { workflow, name, job: j } of allJobs()) {
      for (const step of j.steps ?? []) {
        if (!step.run) continue;
        expect({
          where: `${workflow.file}:${name}`,
          spliced: /\$\{\{\s*(inputs|github\.event)\./.test(step.run),
        }).toEqual({
          where: `${workflow.file}:${name}`,
          spliced: false,
        });
      }
    }
  });
});

describe('project CI', () => {
  it('runs .ci/run on Node 24, so CI here and on a fresh machine are the same steps', () => {
    const check = job(byFile('ci.yml'), 'check');
    expect(check.steps?.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(
      24,
    );
    expect(check.steps?.at(-1)?.run).toBe('bash .ci/run');
    expect(readFileSync(path.resolve('.ci/run'), 'utf8')).toContain('npm test');
  });

  it('releases only on a version tag, after the same checks as CI, moving the major tag', () => {
    const release = byFile('release.yml');
    expect(release.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    const steps = job(release, 'release').steps ?? [];
    const runs = steps.map((s) => s.run ?? '');
    const ci = runs.findIndex((r) => r.trim() === 'bash .ci/run');
    const publish = runs.findIndex((r) => r.includes('gh release create'));
    expect(ci).toBeGreaterThan(-1);
    // Nothing is published unless the tests and the dist/ check passed first.
    expect(publish).toBeGreaterThan(ci);
    expect(runs[publish]).toMatch(/major="\$\{TAG%%\.\*\}"/);
    expect(runs[publish]).toContain('git/refs/tags/$major');
  });
});

describe('configuration', () => {
  it('documents every repository variable the workflows read', () => {
    const docs = readFileSync(path.resolve('docs/workflows.md'), 'utf8');
    const used = new Set(
      workflows.flatMap((w) =>
        [...w.text.matchAll(/vars\.(STANDBY_[A-Z0-9_]+)/g)].map((m) => m[1] as string),
      ),
    );
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('trigger safety', () => {
  it('the schedule starts DR only when triggers are enabled and DR is needed', () => {
    expect(Object.keys(byFile('freshness.yml').on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    // freshness.yml runs freshness-target.yml once per target; the gate is in there.
    expect(job(byFile('freshness.yml'), 'target').uses).toBe('./.github/workflows/freshness-target.yml');
    const freshness = byFile('freshness-target.yml');
    const gate = "vars.STANDBY_ENABLE_TRIGGERS == 'true' && needs.check-health.outputs.needs-dr == 'true'";
    expect(job(freshness, 'admission').if).toBe(gate);
    expect(job(freshness, 'dr').if?.replace(/\s+/g, ' ')).toContain(gate);
    expect(
      job(freshness, 'check-health').steps?.find((s) => localPhase(s.uses) === 'check-health')?.with?.[
        'publish-metrics'
      ],
    ).toBe(true);
  });

  it('alarm and schedule runs go past check-health only with the variable on; drills always do', () => {
    const check = job(pipeline, 'check-health').steps?.find((s) => localPhase(s.uses) === 'check-health');
    expect(check?.with?.['enable-triggers']).toBe(fromWorkflow("vars.STANDBY_ENABLE_TRIGGERS == 'true'"));
    expect(check?.with?.['force-run']).toBe(fromWorkflow('inputs.force-run'));
    const forceRun = Object.fromEntries(callers().map((c) => [c.workflow.file, c.job.with?.['force-run']]));
    expect(forceRun).toEqual({ 'alarm.yml': false, 'drill.yml': true, 'freshness-target.yml': false });
  });

  it('the alarm entry point takes the alarm name, state, reason and time, and starts DR only on ALARM', () => {
    const alarm = byFile('alarm.yml');
    const inputs = (alarm.on.workflow_dispatch as { inputs: Record<string, { required?: boolean }> }).inputs;
    expect(Object.keys(inputs).sort()).toEqual([
      'alarm-changed-at',
      'alarm-name',
      'alarm-reason',
      'alarm-state',
      'alarm-time',
      'dry-run',
      'target',
    ]);
    expect(job(alarm, 'admission').if).toBe("needs.alarm.outputs.start == 'true'");
    expect(job(alarm, 'dr').if?.replace(/\s+/g, ' ')).toContain("needs.alarm.outputs.start == 'true'");
    expect(job(alarm, 'dr').with?.['triggered-at']).toBe(fromWorkflow('needs.alarm.outputs.triggered-at'));
  });

  it('accepts exactly what the Step Functions bridge sends', () => {
    const machine = JSON.parse(
      readFileSync(path.resolve('terraform/orchestrator/state-machine.asl.json'), 'utf8'),
    );
    const body = machine.States.DispatchWorkflow.Parameters.RequestBody as { inputs: Record<string, string> };
    const sent = Object.keys(body.inputs).map((key) => key.replace(/\.\$$/, ''));
    const declared = (
      byFile('alarm.yml').on.workflow_dispatch as { inputs: Record<string, { required?: boolean }> }
    ).inputs;
    // GitHub answers 422 to an undeclared input or a missing required one.
    expect(sent.filter((name) => !(name in declared))).toEqual([]);
    const required = Object.entries(declared)
      .filter(([, spec]) => spec.required)
      .map(([name]) => name);
    expect(required.filter((name) => !sent.includes(name))).toEqual([]);
  });

  it('manual teardown requires typing the execution id again', () => {
    const teardown = byFile('teardown.yml');
    const inputs = (teardown.on.workflow_dispatch as { inputs: Record<string, { required?: boolean }> })
      .inputs;
    expect(inputs['execution-id']?.required).toBe(true);
    expect(inputs.confirm?.required).toBe(true);
    expect(needsOf(job(teardown, 'teardown'))).toEqual(['confirm', 'approval-gate']);
  });
});

describe('activate.yml: the activation gate', () => {
  const activate = byFile('activate.yml');
  const gate = job(activate, 'approval-gate');

  it('runs in the promotion environment from the repository variable, never from an input', () => {
    expect(gate.environment).toEqual({
      name: fromWorkflow("vars.STANDBY_PROMOTION_ENVIRONMENT || 'dr-promotion'"),
    });
    const dispatch = activate.on.workflow_dispatch as { inputs: Record<string, unknown> };
    expect(Object.keys(dispatch.inputs)).not.toContain('environment');
    expect(activate.text).not.toMatch(/environment:[^\n]*inputs\./);
  });

  it('is the job activate needs, and holds no permissions', () => {
    expect(needsOf(job(activate, 'activate'))).toEqual(['approval-gate']);
    expect(gate.permissions).toEqual({});
  });
});
