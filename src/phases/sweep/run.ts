import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { describeRunners, LIVE_STATES, type RunnerInstance } from '../../aws/runners.js';
import { GitHubClient } from '../../github/client.js';
import { describeLookup, lookupRun, type RunLookup } from '../../github/run-status.js';
import type { RunnerKind } from '../../terraform/runner-contract.js';
import { describeError } from '../../util/errors.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import { destroyThroughTerraform, terminateDirectly } from './act.js';
import {
  decideRunner,
  executionOfStateKey,
  lockIsStale,
  overruledByServing,
  owningRunId,
  type SweepSubject,
  servingActivation,
  type Verdict,
} from './decide.js';
import type { SweepInputs } from './inputs.js';
import { clearLock, type LockRecord, type LockStore, readLocks } from './locks.js';
import type { SweepOutput } from './outputs.js';
import { type Examined, type LockReport, sweepResult } from './report.js';
import { listStateObjects, readStateResources, subjectOfState } from './state-store.js';

interface Sweeper {
  inputs: SweepInputs;
  ctx: PhaseContext;
  region: string;
  now: Date;
  ec2: EC2Client;
  store: LockStore;
  lookup(subject: SweepSubject): Promise<RunLookup | undefined>;
}

export async function run(inputs: SweepInputs, ctx: PhaseContext): Promise<PhaseResult<SweepOutput>> {
  const sweeper = setUp(inputs, ctx);
  const runners = await describeRunners(sweeper.ec2, { states: LIVE_STATES });
  const listed = await listStateObjects(sweeper.store.s3, sweeper.store.bucket, inputs.stateKeyPrefix);
  ctx.io.info(
    `${runners.length} standby runner(s) in ${sweeper.region}; ${listed.states.length} state(s) and ${listed.lockFiles.length} lock file(s) under ${inputs.stateKeyPrefix}/`,
  );
  const lockKeys = new Set([
    ...listed.states,
    ...listed.lockFiles.map((key) => key.replace(/\.tflock$/, '')),
    ...runners.flatMap((r) => (r.stateKey?.startsWith(`${inputs.stateKeyPrefix}/`) ? [r.stateKey] : [])),
  ]);
  const locks: LockReport[] = [];
  for (const key of [...lockKeys].sort())
    for (const record of await readLocks(sweeper.store, key)) locks.push(await sweepLock(sweeper, record));
  const examined: Examined[] = [];
  for (const runner of runners) examined.push(await sweepRunner(sweeper, runner));
  const tracked = new Set(runners.map((r) => r.stateKey));
  const states: Examined[] = [];
  for (const key of listed.states.filter((k) => !tracked.has(k))) {
    const report = await sweepState(sweeper, key);
    if (report) states.push(report);
  }
  return sweepResult(examined, states, locks, inputs.dryRun);
}

function setUp(inputs: SweepInputs, ctx: PhaseContext): Sweeper {
  const region = ctx.aws.region;
  const stateRegion = inputs.backend.region ?? region;
  const github = inputs.github
    ? new GitHubClient({
        token: inputs.github.token,
        baseUrl: inputs.github.apiUrl,
        onRetry: (m) => ctx.io.info(m),
      })
    : undefined;
  if (inputs.github) ctx.io.mask(inputs.github.token);
  else ctx.io.warning('no github-token: drills are swept only when expired (their run cannot be checked)');
  const cache = new Map<number, Promise<RunLookup>>();
  return {
    inputs,
    ctx,
    region,
    now: ctx.now(),
    ec2: ctx.aws.client(`ec2:${region}`, (c) => new EC2Client({ ...c, region })),
    store: {
      s3: ctx.aws.s3In(`s3:${stateRegion}`, { region: stateRegion }),
      dynamo: ctx.aws.client(
        `dynamodb:${stateRegion}`,
        (c) => new DynamoDBClient({ ...c, region: stateRegion }),
      ),
      bucket: inputs.backend.bucket,
      table: inputs.backend.lockTable,
    },
    lookup(subject) {
      const runId = owningRunId(subject);
      if (!github || !inputs.github || runId === undefined) return Promise.resolve(undefined);
      const repository = inputs.github.repository;
      if (!cache.has(runId)) cache.set(runId, lookupRun(github, repository, runId));
      return cache.get(runId) as Promise<RunLookup>;
    },
  };
}

async function sweepLock(sweeper: Sweeper, record: LockRecord): Promise<LockReport> {
  const { info, stateKey } = record;
  const executionId = executionOfStateKey(sweeper.inputs.stateKeyPrefix, stateKey);
  const run = await sweeper.lookup({ executionId });
  const verdict = lockIsStale(info, sweeper.now, sweeper.inputs.staleLockMinutes, run);
  const report: LockReport = {
    stateKey,
    store: record.store,
    id: info.ID ?? '?',
    holder: `${info.Operation ?? '?'} by ${info.Who ?? '?'} at ${info.Created ?? '?'}`,
    stale: verdict.stale,
    why: verdict.why,
    cleared: false,
  };
  if (!verdict.stale || sweeper.inputs.dryRun) return report;
  try {
    const outcome = await clearLock(sweeper.store, record);
    if (outcome === 'changed') {
      // Not this sweep's to clear any more: whoever holds it now is judged by the next sweep.
      report.stale = false;
      report.why = `was stale (${verdict.why}) but changed since it was read (a new holder): left alone`;
    } else {
      report.cleared = true;
      if (outcome === 'gone') report.why += '; already released';
      sweeper.ctx.io.info(
        `cleared the stale lock ${report.id} (${record.store}) on ${stateKey}: ${verdict.why}`,
      );
    }
  } catch (error) {
    report.why += `; clearing it failed: ${describeError(error)}`;
  }
  return report;
}

/** The execution's serving record (its ok activate receipt with serving), read only before a destroy. */
async function servingRecordOf(sweeper: Sweeper, executionId: string | undefined) {
  const own = sweeper.ctx.receipts;
  if (!own || !executionId) return undefined;
  const stored = await own.forExecution(executionId).list();
  const record = servingActivation(stored.flatMap((r) => (r.receipt ? [r.receipt] : [])));
  const at = stored.find((r) => r.receipt === record);
  return record && at ? { uri: at.uri, at: record.ended_at } : undefined;
}

/** decideRunner, then the serving record consulted before any destroy. */
async function judge(sweeper: Sweeper, subject: SweepSubject, run: RunLookup | undefined): Promise<Verdict> {
  const verdict = decideRunner(subject, sweeper.now, run);
  if (verdict.action !== 'destroy') return verdict;
  return overruledByServing(verdict, await servingRecordOf(sweeper, subject.executionId));
}

async function sweepRunner(sweeper: Sweeper, runner: RunnerInstance): Promise<Examined> {
  const run = await sweeper.lookup(runner);
  const verdict = await judge(sweeper, runner, run);
  const report = examined(runner.id, runner, run, verdict, verdict.why);
  if (verdict.action === 'report')
    sweeper.ctx.io.warning(`${runner.id} (${runner.executionId ?? '?'}): ${verdict.why}`);
  if (verdict.action !== 'destroy' || sweeper.inputs.dryRun) return report;
  const done = await removeRunner(sweeper, runner);
  sweeper.ctx.io.info(`${runner.id} (${runner.executionId ?? '?'}): ${verdict.why}: ${done.detail}`);
  return { ...report, ok: done.ok, result: done.detail };
}

/** A runner (its tags are a SweepSubject) or a leftover state, with the verdict on it. */
function examined(
  id: string,
  subject: SweepSubject,
  run: RunLookup | undefined,
  verdict: Verdict,
  why: string,
): Examined {
  return {
    id,
    execution: subject.executionId ?? '',
    kind: subject.kind ?? '',
    expiresAt: subject.expiresAt ?? '',
    run: run ? describeLookup(run) : 'not checked',
    verdict: verdict.action,
    why,
  };
}

/** Through Terraform when the execution's state tracks this instance; plain terminate otherwise. */
async function removeRunner(sweeper: Sweeper, runner: RunnerInstance) {
  const { store, ec2 } = sweeper;
  const key = runner.stateKey;
  const resources = key ? await readStateResources(store.s3, store.bucket, key) : undefined;
  const tracked = resources?.some((r) => r.type === 'aws_instance' && r.id === runner.id);
  if (!key || !tracked) {
    const done = await terminateDirectly(ec2, [runner.id], runner.executionId);
    return { ok: done.ok, detail: `no state tracks it: ${done.detail}` };
  }
  if ((await readLocks(store, key)).length)
    return { ok: false, detail: `its state ${key} is locked (see the locks): left for the next sweep` };
  const destroyed = await destroyExecution(sweeper, key, runner);
  if (destroyed.ok) return destroyed;
  const fallback = await terminateDirectly(ec2, [runner.id], runner.executionId);
  return {
    ok: false,
    detail: `Terraform destroy failed (${destroyed.detail}); terminated instead: ${fallback.detail}`,
  };
}

async function sweepState(sweeper: Sweeper, key: string): Promise<Examined | undefined> {
  const resources = await readStateResources(sweeper.store.s3, sweeper.store.bucket, key);
  if (!resources?.length) return undefined;
  const subject = subjectOfState(resources);
  subject.executionId ??= executionOfStateKey(sweeper.inputs.stateKeyPrefix, key);
  const run = await sweeper.lookup(subject);
  const verdict = await judge(sweeper, subject, run);
  const why = `its runner is gone; ${resources.length} resource(s) left; ${verdict.why}`;
  const report = examined(key, subject, run, verdict, why);
  if (verdict.action === 'report') sweeper.ctx.io.warning(`${key}: ${verdict.why}`);
  if (verdict.action !== 'destroy' || sweeper.inputs.dryRun || !subject.executionId) return report;
  if ((await readLocks(sweeper.store, key)).length)
    return { ...report, ok: false, result: 'locked (see the locks): left for the next sweep' };
  const done = await destroyExecution(sweeper, key, subject);
  return { ...report, ok: done.ok, result: done.detail };
}

/** Destroys through the state at stateKey, with the variables rebuilt from what the runner's tags say. */
function destroyExecution(sweeper: Sweeper, stateKey: string, subject: SweepSubject) {
  const request = {
    stateKey,
    executionId: subject.executionId as string,
    region: sweeper.region,
    kind: subject.kind === 'drill' || subject.kind === 'dr' ? (subject.kind as RunnerKind) : undefined,
    githubRunId: subject.runId && subject.runId !== 'none' ? subject.runId : '',
    now: sweeper.now,
  };
  return destroyThroughTerraform(sweeper.inputs, request, (l) => sweeper.ctx.io.info(l));
}
