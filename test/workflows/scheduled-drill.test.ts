import { describe, expect, it } from '@jest/globals';
import { loadWorkflows, type Workflow } from './load.js';
import { callInputs, type JobRun, type Scenario, simulate } from './simulate.js';

/**
 * Issue 23.1: drill.yml runs weekly on a schedule, OFF until STANDBY_ENABLE_SCHEDULED_DRILLS is 'true'.
 * A scheduled drill asks no reviewer (promote records "no decision: scheduled drill") and tears down on
 * its own. These tests play drill.yml and then the dr-pipeline.yml it calls, with the inputs GitHub would
 * hand it (typed, defaults applied: simulate.ts callInputs), under GitHub's if:/needs rules.
 */
const workflows = loadWorkflows();
const drillYml = workflows.find((w) => w.file === 'drill.yml') as Workflow;
const pipeline = workflows.find((w) => w.file === 'dr-pipeline.yml') as Workflow;
const SWITCH = 'STANDBY_ENABLE_SCHEDULED_DRILLS';

/** drill.yml as GitHub starts it; then the pipeline, when drill.yml's dr job calls it. */
function playDrill(
  caller: Pick<Scenario, 'inputs' | 'vars' | 'github'>,
  inside: Omit<Scenario, 'inputs' | 'vars' | 'github'> = {},
) {
  const outer = simulate(drillYml, caller);
  const dr = outer.dr as JobRun;
  if (dr.result === 'skipped') return { outer, inputs: undefined, runs: undefined };
  const inputs = callInputs(pipeline, dr.inputs.call ?? {});
  const runs = simulate(pipeline, {
    ...inside,
    inputs,
    vars: caller.vars,
    github: caller.github,
    outputs: { 'check-health': { proceed: 'true' }, ...inside.outputs },
  });
  return { outer, inputs, runs };
}
const results = (runs: Record<string, JobRun> | undefined) =>
  Object.fromEntries(Object.entries(runs ?? {}).map(([job, run]) => [job, run.result]));
const schedule = { event_name: 'schedule' };
/** On a schedule GitHub hands the workflow no inputs at all. */
const scheduled = (vars: Record<string, string> = {}) => ({ inputs: {}, vars, github: schedule });

describe('drill.yml on a schedule (issue 23.1)', () => {
  it('has a weekly schedule beside workflow_dispatch', () => {
    expect(Object.keys(drillYml.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const crons = (drillYml.on.schedule as Array<{ cron: string }>).map((c) => c.cron);
    expect(crons).toHaveLength(1);
    // minute hour day-of-month month day-of-week: one day of the week, every week.
    expect(crons[0]).toMatch(/^\d{1,2} \d{1,2} \* \* [0-6]$/);
  });

  it('switch off (unset, false, anything but true): the scheduled run calls nothing, so nothing spends', () => {
    const off: Record<string, string>[] = [{}, { [SWITCH]: 'false' }, { [SWITCH]: '' }, { [SWITCH]: 'yes' }];
    for (const vars of off) {
      const played = playDrill(scheduled(vars));
      expect(results(played.outer)).toEqual({ dr: 'skipped', 'negative-drill': 'skipped' });
      expect(played.runs).toBeUndefined();
    }
  });

  it('the other trigger switch does not turn scheduled drills on', () => {
    const played = playDrill(scheduled({ STANDBY_ENABLE_TRIGGERS: 'true' }));
    expect(played.runs).toBeUndefined();
  });

  it('switch on: a full drill with teardown, never plan-only, every input defaulted', () => {
    const { inputs } = playDrill(scheduled({ [SWITCH]: 'true' }));
    expect(inputs).toMatchObject({
      drill: true,
      scheduled: true,
      'force-run': true,
      teardown: true,
      'plan-only': false,
      'run-job': false,
      'backup-uri': '',
      'image-ref': '',
      ticket: 'scheduled-drill',
      environment: 'dr-promotion',
      trigger: 'scheduled drill',
      'execution-id': 'drill-42',
      'hold-minutes': 60,
    });
  });

  it('switch on: brings up, validates, records no decision without a gate or hold, and tears down', () => {
    const { runs } = playDrill(scheduled({ [SWITCH]: 'true' }), {
      outputs: { promote: { 'promotion-status': 'no_decision_scheduled_drill' } },
    });
    expect(results(runs)).toEqual({
      'check-health': 'success',
      'stand-up': 'success',
      'plan-bundle': 'skipped',
      recover: 'success',
      'approval-gate': 'skipped',
      promote: 'success',
      hold: 'skipped',
      teardown: 'success',
      release: 'skipped',
      failure: 'skipped',
      report: 'success',
    });
    expect(runs?.['stand-up']?.steps.bringup).toBe('success');
    expect(runs?.promote?.inputs.promote?.['scheduled-drill']).toBe('true');
    // Nobody decided, so there is no approved/rejected notice; drill-complete carries the status.
    expect(runs?.promote?.steps['decision-notice']).toBe('skipped');
    expect(runs?.report?.steps['drill-complete']).toBe('success');
  });

  it('switch on, restore fails: still torn down, the failure recorded, nothing left waiting', () => {
    const { runs } = playDrill(scheduled({ [SWITCH]: 'true' }), { steps: { restore: 'failure' } });
    expect(results(runs)).toMatchObject({
      recover: 'failure',
      'approval-gate': 'skipped',
      promote: 'skipped',
      hold: 'skipped',
      teardown: 'success',
      failure: 'success',
    });
  });

  it('a manual drill is unchanged: the gate and the hold run, teardown and plan-only are the operator’s', () => {
    const manual = {
      inputs: {
        ticket: 'CHG-1',
        teardown: false,
        'plan-only': false,
        'run-job': true,
        environment: 'dr-promotion',
        'hold-minutes': 30,
      },
      vars: { [SWITCH]: 'true' },
    };
    const { inputs, runs } = playDrill(manual, {
      jobs: {
        'approval-gate': { result: 'success' },
        hold: { result: 'success', outputs: { decided: 'true' } },
      },
    });
    expect(inputs).toMatchObject({
      scheduled: false,
      teardown: false,
      'run-job': true,
      ticket: 'CHG-1',
      trigger: 'drill',
      'hold-minutes': 30,
    });
    expect(results(runs)).toMatchObject({ 'approval-gate': 'success', hold: 'success', teardown: 'skipped' });
    expect(runs?.promote?.inputs.promote?.['scheduled-drill']).toBe('false');
    expect(
      playDrill({ ...manual, inputs: { ...manual.inputs, 'plan-only': true } }).inputs?.['plan-only'],
    ).toBe(true);
  });

  it('a real DR run cannot skip its reviewer: scheduled is honoured only together with drill', () => {
    const runs = simulate(pipeline, {
      inputs: callInputs(pipeline, { drill: 'false', scheduled: 'true' }),
      outputs: { 'check-health': { proceed: 'true' } },
      jobs: { 'approval-gate': { result: 'success' } },
    });
    expect(runs['approval-gate']?.result).toBe('success');
    expect(runs.promote?.inputs.promote?.['scheduled-drill']).toBe('false');
    const waiting = simulate(pipeline, {
      inputs: callInputs(pipeline, { drill: 'false', scheduled: 'true' }),
      outputs: { 'check-health': { proceed: 'true' } },
      jobs: { 'approval-gate': { result: 'skipped' } },
    });
    expect(waiting.promote?.result).toBe('skipped');
  });

  it('only drill.yml passes scheduled; the real-DR callers never do', () => {
    const callers = workflows.flatMap((w) =>
      Object.values(w.jobs)
        .filter((j) => j.uses === './.github/workflows/dr-pipeline.yml' && j.with && 'scheduled' in j.with)
        .map(() => w.file),
    );
    expect(callers).toEqual(['drill.yml']);
  });
});
