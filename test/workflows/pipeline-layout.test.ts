import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fromWorkflow } from '../../src/io/input-spec.js';
import { JOBS_BEFORE_GATE, PIPELINE_JOBS } from '../../src/pipeline/jobs.js';
import { PIPELINE_PHASES } from '../../src/receipts/envelope.js';
import { type Job, loadWorkflows, localPhase, type Workflow } from './load.js';
import { longestChainTo } from './simulate.js';

const workflows = loadWorkflows();
const byFile = (file: string) => workflows.find((w) => w.file === file) as Workflow;
const pipeline = byFile('dr-pipeline.yml');
const GATE = 'approval-gate';
const MAX_JOBS_BEFORE_GATE = 3;
const isPhase = (id?: string) => (PIPELINE_PHASES as readonly string[]).includes(id ?? '');

describe('at most three jobs before the approval gate (issue 15)', () => {
  it('the longest needs chain to the gate has at most 3 jobs before it', () => {
    const chain = longestChainTo(pipeline, GATE);
    expect(chain.slice(0, -1)).toEqual([...JOBS_BEFORE_GATE]);
    expect(chain.length - 1).toBeLessThanOrEqual(MAX_JOBS_BEFORE_GATE);
  });

  it('measures the longest chain, not the first one: the 8-job layout before issue 15 measures 8', () => {
    const old = [
      'check-health',
      'restore-precheck',
      'bringup',
      'resolve-runner',
      'restore',
      'validate',
      'notify',
    ];
    const jobs: Record<string, Job> = Object.fromEntries(
      old.map((name, i) => [name, { needs: i === 0 ? [] : ['check-health', old[i - 1] as string] }]),
    );
    jobs['request-approval'] = { needs: ['check-health', 'notify'] };
    jobs[GATE] = { needs: ['request-approval'] };
    const chain = longestChainTo({ ...pipeline, jobs }, GATE);
    expect(chain.length - 1).toBe(8);
  });

  it('end to end from each caller, as docs/workflows.md says', () => {
    const docs = readFileSync(path.resolve('docs/workflows.md'), 'utf8');
    // freshness.yml calls freshness-target.yml once per target; the chain is that workflow's.
    const expected: Record<string, number> = { 'drill.yml': 3, 'alarm.yml': 5, 'freshness-target.yml': 5 };
    for (const [file, count] of Object.entries(expected)) {
      const caller = longestChainTo(byFile(file), 'dr').slice(0, -1);
      const chain = [...caller, ...longestChainTo(pipeline, GATE).slice(0, -1)];
      expect({ file, count: chain.length }).toEqual({ file, count });
      expect(docs).toContain(`| \`${file}\` | ${chain.join(' → ')} → gate | ${count} |`);
    }
  });
});

describe('every pipeline phase is exactly one step of the pipeline (workflows cannot drift from the phase list)', () => {
  const phaseSteps = Object.entries(pipeline.jobs).flatMap(([job, j]) =>
    (j.steps ?? []).filter((s) => isPhase(s.id)).map((step) => ({ job, step })),
  );

  it('each phase of PIPELINE_PHASES appears once, as a step with its name and id running its own action', () => {
    for (const phase of PIPELINE_PHASES) {
      const found = phaseSteps.filter(({ step }) => step.id === phase);
      expect({ phase, count: found.length }).toEqual({ phase, count: 1 });
      expect({ phase, uses: found[0]?.step.uses, name: found[0]?.step.name }).toEqual({
        phase,
        uses: `./actions/${phase}`,
        name: phase,
      });
    }
  });

  it('any other use of a phase action (the decision notice, drill-complete) has an id that is not a phase', () => {
    for (const [job, j] of Object.entries(pipeline.jobs))
      for (const step of j.steps ?? []) {
        const phase = localPhase(step.uses);
        if (!isPhase(phase) || step.id === phase) continue;
        expect({ job, phase, id: step.id, isPhaseId: isPhase(step.id) }).toEqual({
          job,
          phase,
          id: expect.any(String),
          isPhaseId: false,
        });
      }
  });

  it('jobs run exactly the phases src/pipeline/jobs.ts says, in pipeline order', () => {
    const actual = Object.fromEntries(
      Object.entries(pipeline.jobs)
        .map(([job, j]) => [job, (j.steps ?? []).filter((s) => isPhase(s.id)).map((s) => s.id)] as const)
        .filter(([, phases]) => phases.length > 0),
    );
    expect(actual).toEqual(PIPELINE_JOBS);
    expect(Object.values(PIPELINE_JOBS).flat()).toEqual([...PIPELINE_PHASES]);
  });

  it('each phase step assumes its role afresh just before it, with its own session name', () => {
    for (const { job, step } of phaseSteps) {
      const steps = pipeline.jobs[job]?.steps ?? [];
      const before = steps[steps.indexOf(step) - 1];
      expect({
        phase: step.id,
        uses: before?.uses?.split('@')[0],
        session: before?.with?.['role-session-name'],
      }).toEqual({
        phase: step.id,
        uses: 'aws-actions/configure-aws-credentials',
        session: `standby-${step.id}-${fromWorkflow('github.run_id')}`,
      });
    }
  });

  it('phases sharing a job keep their own timeouts, and the job outlasts their sum', () => {
    for (const [job, phases] of Object.entries(PIPELINE_JOBS)) {
      if (phases.length < 2) continue;
      const j = pipeline.jobs[job] as Job;
      const timeouts = (j.steps ?? []).filter((s) => isPhase(s.id)).map((s) => s['timeout-minutes'] ?? 0);
      expect({ job, every: timeouts.every((t) => t > 0) }).toEqual({ job, every: true });
      expect(j['timeout-minutes']).toBeGreaterThan(timeouts.reduce((a, b) => a + b, 0));
    }
  });

  it('each multi-phase job reports which of its phases failed, and the failure job reads it', () => {
    for (const [job, phases] of Object.entries(PIPELINE_JOBS)) {
      if (phases.length < 2) continue;
      const output = String(pipeline.jobs[job]?.outputs?.['failed-phase']);
      for (const phase of phases)
        expect(output).toContain(`steps.${phase}.outcome == 'failure' && '${phase}'`);
    }
    const step = pipeline.jobs.failure?.steps?.find((s) => localPhase(s.uses) === 'failure');
    expect(step?.with?.['failed-phase']).toBe(
      fromWorkflow('needs.stand-up.outputs.failed-phase || needs.recover.outputs.failed-phase'),
    );
  });
});
