import { describe, expect, it } from '@jest/globals';
import { LOCAL_FAULT_KINDS, RUNNER_ONLY_FAULTS } from '../../src/local/negative-drill.js';
import { loadWorkflows, type Workflow } from './load.js';
import { simulate } from './simulate.js';

/**
 * Issue 23.7: drill.yml's `fault` input runs a negative drill instead of the real pipeline, with
 * `standby drill --local --fault` on the job's own machine. The isolation is the embedded emulator: the
 * job has no AWS credentials and no environment, so it cannot plant into the deployment's buckets or
 * start a runner. These tests read drill.yml and play it under GitHub's if: rules (simulate.ts).
 */
const drillYml = loadWorkflows().find((w) => w.file === 'drill.yml') as Workflow;
const faultInput = (
  drillYml.on.workflow_dispatch as {
    inputs: Record<string, { type: string; default: string; options: string[] }>;
  }
).inputs.fault;
const job = drillYml.jobs['negative-drill'];

/** A manual run, with the inputs GitHub hands it (every input's default, then the operator's). */
function dispatched(fault: string) {
  const runs = simulate(drillYml, {
    inputs: { ticket: 'CHG-1', teardown: true, 'plan-only': false, fault },
    github: { event_name: 'workflow_dispatch' },
  });
  return Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, run.result]));
}

describe("drill.yml's fault input (negative drills, issue 23.7)", () => {
  it('is a choice, none by default, offering exactly the faults `standby drill --local` plants', () => {
    expect(faultInput).toMatchObject({ type: 'choice', default: 'none' });
    expect(faultInput?.options).toEqual(['none', ...LOCAL_FAULT_KINDS]);
    for (const runnerOnly of RUNNER_ONLY_FAULTS) expect(faultInput?.options).not.toContain(runnerOnly);
  });

  it('none: the real drill runs and the negative drill does not', () => {
    expect(dispatched('none')).toEqual({ dr: 'success', 'negative-drill': 'skipped' });
  });

  it('a fault: only the negative drill runs; the real pipeline (EC2, the deployment buckets) is never called', () => {
    for (const fault of LOCAL_FAULT_KINDS)
      expect(dispatched(fault)).toEqual({ dr: 'skipped', 'negative-drill': 'success' });
  });

  it('a schedule never runs a negative drill (inputs are empty on a schedule)', () => {
    const runs = simulate(drillYml, {
      inputs: {},
      vars: { STANDBY_ENABLE_SCHEDULED_DRILLS: 'true' },
      github: { event_name: 'schedule' },
    });
    expect(runs.dr?.result).toBe('success');
    expect(runs['negative-drill']?.result).toBe('skipped');
  });

  it('runs `standby drill --local --fault` with no AWS credentials, no environment and read-only permissions', () => {
    expect(job?.permissions).toEqual({ contents: 'read' });
    expect(job?.environment).toBeUndefined();
    const text = JSON.stringify(job);
    expect(text).not.toMatch(
      /configure-aws-credentials|id-token|secrets\.|vars\.STANDBY_(ROLE|BACKUP|RECEIPT)/,
    );
    const run = job?.steps?.find((s) => s.run?.includes('drill-local.sh'));
    expect(run?.env?.FAULT).toBe(`\${{ inputs.fault }}`);
    expect(run?.run).toContain(
      'sh scripts/drill-local.sh --fault "$FAULT" --evidence-dir negative-drill/evidence',
    );
    // The step fails when the drill failed (the fault slipped through), after writing the summary.
    expect(run?.run).toContain('exit "$status"');
    const upload = job?.steps?.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toBe('negative-drill/');
  });
});
