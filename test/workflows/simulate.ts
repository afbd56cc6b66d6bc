import { type Context, evaluate, fill } from './expressions.js';
import { type Job, needsOf, type Step, type Workflow } from './load.js';

/**
 * Plays a workflow run the way GitHub decides it, from the workflow file itself: which jobs run (their
 * `if:`, with the status functions), which steps run inside a job, what each job's outputs become. Only
 * what the test scenario injects differs from "everything succeeds". The rules it follows:
 * - A job or step `if:` without a status function means `success() && (...)`.
 * - Job level: success() = every job in `needs` succeeded and the run is not cancelled; failure() = some
 *   ancestor job failed (transitively); cancelled() = the run was cancelled; always() = true.
 * - Step level: success() = no earlier step of the job failed or was cancelled; a step that does not run
 *   has outcome 'skipped'. A step past its timeout-minutes is killed and fails (GitHub docs, workflow
 *   syntax, `jobs.<job_id>.steps[*].timeout-minutes`): inject it as 'failure'.
 * - steps.<id>.outcome is one of success, failure, cancelled, skipped (actions/runner ADR 0274).
 * - A job whose runner is lost ends 'failure' and reports no outputs (they are evaluated on the runner
 *   when the job completes).
 */
export interface Scenario {
  inputs: Record<string, unknown>;
  /** Step id → what happens to it when it runs (default success). */
  steps?: Record<string, 'failure' | 'cancelled'>;
  /** The run is cancelled while this step runs: it ends 'cancelled', and the run is cancelled from then on. */
  cancelledAt?: string;
  /** The job's runner is lost while this step runs. */
  runnerLostAt?: string;
  /** Outputs a step writes when it succeeds (step id → output → value); others read `<step id>:<output>`. */
  outputs?: Record<string, Record<string, string>>;
  /** Jobs whose result comes from people or from GitHub (the gate, the hold), given as they end. */
  jobs?: Record<string, { result: string; outputs?: Record<string, string> }>;
  /** Repository variables (the `vars` context); default none set. */
  vars?: Record<string, string>;
  /** The `github` context beyond run_id, e.g. { event_name: 'schedule' }. */
  github?: Record<string, string>;
  /** The `matrix` context of the jobs (one leg), e.g. { target: 'orders' }. */
  matrix?: Record<string, string>;
}

export interface JobRun {
  result: 'success' | 'failure' | 'cancelled' | 'skipped';
  outputs: Record<string, string>;
  steps: Record<string, string>;
  /** The `with:` of each step that ran, filled (step id → input → value); a job that calls a reusable
   * workflow (`uses:`) has its own filled `with:` under the key `call`. */
  inputs: Record<string, Record<string, string>>;
}

export function simulate(workflow: Workflow, scenario: Scenario): Record<string, JobRun> {
  const runs: Record<string, JobRun> = {};
  let runCancelled = false;
  const github = { run_id: '42', event_name: 'workflow_dispatch', ...scenario.github };
  // Workflow-level env: evaluated once from inputs, vars and github (the contexts GitHub allows there).
  const env = workflowEnv(workflow, { inputs: scenario.inputs, vars: scenario.vars ?? {}, github });
  for (const name of topologicalOrder(workflow)) {
    const job = workflow.jobs[name] as Job;
    const needs = Object.fromEntries(
      needsOf(job).map((n) => [n, { result: runs[n]?.result, outputs: runs[n]?.outputs ?? {} }]),
    );
    const ancestors = ancestorsOf(workflow, name);
    const functions = {
      always: () => true,
      cancelled: () => runCancelled,
      success: () => !runCancelled && needsOf(job).every((n) => runs[n]?.result === 'success'),
      failure: () => ancestors.some((n) => runs[n]?.result === 'failure'),
    };
    const context: Context = {
      inputs: scenario.inputs,
      needs,
      vars: scenario.vars ?? {},
      github,
      env,
      functions,
    };
    // The matrix leg played: the scenario's, else the first leg GitHub would start (strategy.matrix).
    context.matrix = scenario.matrix ?? matrixLegs(job, context)[0] ?? {};
    if (!decide(job.if, context)) {
      runs[name] = { result: 'skipped', outputs: {}, steps: {}, inputs: {} };
      continue;
    }
    const given = scenario.jobs?.[name];
    if (given) {
      runs[name] = {
        result: given.result as JobRun['result'],
        outputs: given.outputs ?? {},
        steps: {},
        inputs: {},
      };
      continue;
    }
    if (job.uses) {
      const call = Object.fromEntries(Object.entries(job.with ?? {}).map(([k, v]) => [k, fill(v, context)]));
      runs[name] = { result: 'success', outputs: {}, steps: {}, inputs: { call } };
      continue;
    }
    const played = playSteps(job, context, scenario, () => runCancelled);
    if (played.cancelledRun) runCancelled = true;
    runs[name] = played.run;
  }
  return runs;
}

function playSteps(job: Job, context: Context, scenario: Scenario, runCancelled: () => boolean) {
  const steps: Record<string, { outcome: string; conclusion: string; outputs: Record<string, string> }> = {};
  const outcomes: Record<string, string> = {};
  const inputs: Record<string, Record<string, string>> = {};
  let failed = false;
  let cancelled = false;
  let cancelledRun = false;
  for (const [index, step] of (job.steps ?? []).entries()) {
    const id = step.id ?? `step-${index}`;
    const functions = {
      always: () => true,
      cancelled: () => cancelled || runCancelled() || cancelledRun,
      success: () => !failed && !cancelled && !runCancelled() && !cancelledRun,
      failure: () => failed,
    };
    const stepContext = { ...context, steps, functions };
    if (!decide(step.if, stepContext)) {
      steps[id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
      outcomes[id] = 'skipped';
      continue;
    }
    inputs[id] = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([k, v]) => [k, fill(v, stepContext)]),
    );
    if (scenario.runnerLostAt === id)
      return { run: { result: 'failure' as const, outputs: {}, steps: outcomes, inputs }, cancelledRun };
    let outcome: string = scenario.steps?.[id] ?? 'success';
    if (scenario.cancelledAt === id) {
      outcome = 'cancelled';
      cancelledRun = true;
    }
    const conclusion = outcome === 'failure' && isContinueOnError(step) ? 'success' : outcome;
    if (conclusion === 'failure') failed = true;
    if (conclusion === 'cancelled') cancelled = true;
    steps[id] = {
      outcome,
      conclusion,
      outputs: outcome === 'success' ? fakeOutputs(id, scenario.outputs?.[id]) : {},
    };
    outcomes[id] = outcome;
  }
  const outputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([k, v]) => [k, fill(v, { ...context, steps }).trim()]),
  );
  const result = failed ? 'failure' : cancelled || cancelledRun ? 'cancelled' : 'success';
  return { run: { result: result as JobRun['result'], outputs, steps: outcomes, inputs }, cancelledRun };
}

/**
 * The legs of a job's matrix, for the simple shape these workflows use: one key whose value is a list or
 * an expression that evaluates to one (fromJSON). GitHub starts one job per element.
 */
export function matrixLegs(job: Job, context: Context): Record<string, string>[] {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [];
  const [key, ...more] = Object.keys(matrix);
  if (!key || more.length) throw new Error('only a one-key matrix is played here');
  const raw = matrix[key];
  const values = Array.isArray(raw) ? raw : JSON.parse(fill(raw, context));
  if (!Array.isArray(values)) throw new Error(`matrix ${key} is not a list: ${JSON.stringify(values)}`);
  return values.map((value) => ({ [key]: String(value) }));
}

export function workflowEnv(workflow: Workflow, context: Context): Record<string, string> {
  return Object.fromEntries(Object.entries(workflow.env ?? {}).map(([k, v]) => [k, fill(v, context)]));
}

/** Any output a step is asked for reads `<step id>:<output>`, so a test can see where a value came from. */
function fakeOutputs(id: string, given: Record<string, string> = {}): Record<string, string> {
  return new Proxy(given, {
    get: (target, key) => (typeof key !== 'string' ? undefined : (target[key] ?? `${id}:${key}`)),
  });
}

const isContinueOnError = (step: Step) => step['continue-on-error'] === true;

const STATUS = /\b(always|success|failure|cancelled)\(\)/;

function decide(condition: string | boolean | undefined, context: Context): boolean {
  if (condition === undefined) return evaluate('success()', context) === true;
  const text = String(condition)
    .trim()
    .replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  const expression = STATUS.test(text) ? text : `success() && (${text})`;
  const value = evaluate(expression, context);
  return value !== '' && value !== false && value !== 0 && value !== null;
}

export function topologicalOrder(workflow: Workflow): string[] {
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`needs cycle: ${[...path, name].join(' → ')}`);
    for (const need of needsOf(workflow.jobs[name] as Job)) visit(need, [...path, name]);
    order.push(name);
  };
  for (const name of Object.keys(workflow.jobs)) visit(name, []);
  return order;
}

export function ancestorsOf(workflow: Workflow, name: string): string[] {
  const found = new Set<string>();
  const walk = (job: string) => {
    for (const need of needsOf(workflow.jobs[job] as Job))
      if (!found.has(need)) {
        found.add(need);
        walk(need);
      }
  };
  walk(name);
  return [...found];
}

/** The longest chain of jobs, linked by `needs`, that ends at `target` (the target included). */
export function longestChainTo(workflow: Workflow, target: string): string[] {
  const memo = new Map<string, string[]>();
  const chain = (name: string): string[] => {
    const known = memo.get(name);
    if (known) return known;
    const job = workflow.jobs[name];
    if (!job) throw new Error(`${workflow.file} has no job '${name}'`);
    const longest = needsOf(job)
      .map(chain)
      .reduce<string[]>((best, c) => (c.length > best.length ? c : best), []);
    const result = [...longest, name];
    memo.set(name, result);
    return result;
  };
  return chain(target);
}

interface CallInput {
  type?: 'boolean' | 'number' | 'string';
  default?: unknown;
  required?: boolean;
}

/**
 * The `inputs` context a reusable workflow sees from a caller's filled `with:` (docs.github.com, "Reuse
 * workflows": workflow_call inputs are typed; a boolean or number input arrives as a boolean or number,
 * and an input the caller leaves out takes its default). A value that does not fit the type throws, as
 * GitHub refuses the run; so does a `with:` key the callee does not declare, or a required one missing.
 */
export function callInputs(callee: Workflow, given: Record<string, string>): Record<string, unknown> {
  const declared = ((callee.on.workflow_call as { inputs?: Record<string, CallInput> } | undefined)?.inputs ??
    {}) as Record<string, CallInput>;
  for (const key of Object.keys(given))
    if (!declared[key]) throw new Error(`${callee.file} has no input '${key}'`);
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const raw = given[name];
    if (raw === undefined) {
      if (spec.required) throw new Error(`${callee.file}: required input '${name}' not given`);
      inputs[name] = spec.default ?? (spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : '');
    } else if (spec.type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new Error(`${name}: '${raw}' is not a boolean`);
      inputs[name] = raw === 'true';
    } else if (spec.type === 'number') {
      if (!/^-?\d+(\.\d+)?$/.test(raw)) throw new Error(`${name}: '${raw}' is not a number`);
      inputs[name] = Number(raw);
    } else inputs[name] = raw;
  }
  return inputs;
}
