import { afterEach, describe, expect, it } from '@jest/globals';
import {
  ADMISSION_JOB,
  ADMITTED_STEP,
  admissionJobName,
  DROPPED_STEP,
} from '../../src/concurrency/admission.js';
import { admit } from '../../src/concurrency/admission-api.js';
import { holdForDecision, releaseUndecided } from '../../src/concurrency/drill-hold.js';
import { GitHubClient } from '../../src/github/client.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { type ScriptedResponse, startGitHubStandIn } from '../helpers/github-api.js';

const REPO = { owner: 'acme', repo: 'standby' };
const BASE = '/repos/acme/standby/actions';
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>> | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

/** Shapes from docs.github.com/rest/actions/workflow-runs and workflow-jobs. */
const runBody = (
  id: number,
  status: string,
  path = '.github/workflows/alarm.yml',
  createdAt = '2026-11-28T03:00:00Z',
) => ({
  id,
  name: 'DR alarm',
  run_number: id,
  event: 'workflow_dispatch',
  status,
  conclusion: status === 'completed' ? 'success' : null,
  workflow_id: 7,
  path,
  head_sha: 'a'.repeat(40),
  html_url: `https://github.com/acme/standby/actions/runs/${id}`,
  created_at: createdAt,
  updated_at: createdAt,
});
const job = (
  name: string,
  status: string,
  conclusion: string | null = null,
  steps: { name: string; conclusion: string | null }[] = [],
) => ({
  id: Math.floor(Math.random() * 1e6),
  run_id: 1,
  name,
  status,
  conclusion,
  started_at: '2026-11-28T03:00:00Z',
  completed_at: status === 'completed' ? '2026-11-28T03:01:00Z' : null,
  html_url: null,
  steps: steps.map((s, i) => ({ ...s, status: 'completed', number: i + 1 })),
});
const ok = (body: unknown): ScriptedResponse => ({ status: 200, body });
const runs = (...list: unknown[]) => ok({ total_count: list.length, workflow_runs: list });
const jobs = (...list: unknown[]) => ok({ total_count: list.length, jobs: list });
const client = (url: string) =>
  new GitHubClient({ token: 'ghs_test', baseUrl: url, retry: { maxAttempts: 1 } });

describe('admit against a GitHub REST stand-in', () => {
  it('drops an alarm while an admitted real DR run waits at its gate; lists runs per in-flight status', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/502`]: [
        ok(runBody(502, 'in_progress', '.github/workflows/alarm.yml', '2026-11-28T03:30:00Z')),
      ],
      [`GET ${BASE}/workflows/alarm.yml/runs`]: [runs(runBody(501, 'waiting'), runBody(502, 'in_progress'))],
      [`GET ${BASE}/workflows/freshness.yml/runs`]: [runs()],
      [`GET ${BASE}/runs/501/jobs`]: [
        jobs(
          job('alarm', 'completed', 'success'),
          job(ADMISSION_JOB, 'completed', 'success', [
            { name: ADMITTED_STEP, conclusion: 'success' },
            { name: DROPPED_STEP, conclusion: 'skipped' },
          ]),
          job('dr / approval-gate', 'waiting'),
        ),
      ],
      [`GET ${BASE}/runs/502/jobs`]: [
        jobs(job('alarm', 'completed', 'success'), job(ADMISSION_JOB, 'in_progress')),
      ],
    });
    const verdict = await admit(client(standIn.url), REPO, 502);
    expect(verdict).toMatchObject({
      decision: 'dropped',
      blocking: [
        {
          runId: 501,
          url: 'https://github.com/acme/standby/actions/runs/501',
          why: 'admitted, still running',
        },
      ],
    });
    const statuses = standIn.requests
      .filter((r) => r.url.includes('/workflows/alarm.yml/runs'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('status'));
    expect(statuses).toEqual(['queued', 'in_progress', 'waiting', 'pending', 'requested']);
  });

  it("per target: search's admitted real DR (inside freshness.yml's call) drops a search alarm, never an orders one", async () => {
    const admitted = job(`target (search) / ${admissionJobName('search')}`, 'completed', 'success', [
      { name: ADMITTED_STEP, conclusion: 'success' },
      { name: DROPPED_STEP, conclusion: 'skipped' },
    ]);
    const script = () => ({
      [`GET ${BASE}/runs/602`]: [
        ok(runBody(602, 'in_progress', '.github/workflows/alarm.yml', '2026-11-28T03:30:00Z')),
      ],
      [`GET ${BASE}/workflows/alarm.yml/runs`]: [runs(runBody(602, 'in_progress'))],
      [`GET ${BASE}/workflows/freshness.yml/runs`]: [
        runs(runBody(601, 'waiting', '.github/workflows/freshness.yml')),
      ],
      // The freshness run checked both targets; only search's admission admitted real DR.
      [`GET ${BASE}/runs/601/jobs`]: [
        jobs(
          job(`target (orders) / ${admissionJobName('orders')}`, 'completed', 'skipped'),
          admitted,
          job('target (search) / dr / approval-gate', 'waiting'),
        ),
      ],
      [`GET ${BASE}/runs/602/jobs`]: [jobs(job(admissionJobName('orders'), 'in_progress'))],
    });
    standIn = await startGitHubStandIn(script());
    expect(await admit(client(standIn.url), REPO, 602, undefined, 'orders')).toMatchObject({
      decision: 'admitted',
      blocking: [],
    });
    await standIn.close();
    standIn = await startGitHubStandIn(script());
    expect(await admit(client(standIn.url), REPO, 602, undefined, 'search')).toMatchObject({
      decision: 'dropped',
      blocking: [{ runId: 601, why: 'admitted, still running' }],
    });
  });

  it('admits when the only other run was itself dropped', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/503`]: [ok(runBody(503, 'in_progress'))],
      [`GET ${BASE}/workflows/alarm.yml/runs`]: [runs(runBody(502, 'in_progress'))],
      [`GET ${BASE}/workflows/freshness.yml/runs`]: [runs()],
      [`GET ${BASE}/runs/502/jobs`]: [
        jobs(
          job(ADMISSION_JOB, 'completed', 'success', [
            { name: ADMITTED_STEP, conclusion: 'skipped' },
            { name: DROPPED_STEP, conclusion: 'success' },
          ]),
        ),
      ],
    });
    expect((await admit(client(standIn.url), REPO, 503)).decision).toBe('admitted');
  });

  it('admits unchecked, saying why, when GitHub cannot be asked (expired token)', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/504`]: [{ status: 401, body: { message: 'Bad credentials' } }],
    });
    const verdict = await admit(client(standIn.url), REPO, 504);
    expect(verdict.decision).toBe('unchecked');
    expect(verdict.detail).toContain('answered 401 (Bad credentials)');
    expect(verdict.detail).toContain('admitted unchecked');
  });
});

describe('the drill hold window, on an injected clock', () => {
  it('ends as soon as the gate is decided', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/600/jobs`]: [
        jobs(job('dr / approval-gate', 'waiting')),
        jobs(job('dr / approval-gate', 'waiting')),
        jobs(job('dr / approval-gate', 'completed', 'success')),
      ],
    });
    const clock = fakeClock();
    const progress: string[] = [];
    const outcome = await holdForDecision(client(standIn.url), REPO, 600, {
      windowMs: 60 * 60_000,
      pollMs: 30_000,
      clock,
      progress: (line) => progress.push(line),
    });
    expect(outcome).toMatchObject({ decided: true, gate: 'completed (success)', waitedMs: 60_000 });
    expect(progress).toEqual([
      'approval gate waiting; 60 min left in the hold window',
      'approval gate waiting; 60 min left in the hold window',
    ]);
  });

  it('ends undecided when the window is over, whatever the gate does', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/601/jobs`]: [jobs(job('dr / approval-gate', 'waiting'))],
    });
    const clock = fakeClock();
    const outcome = await holdForDecision(client(standIn.url), REPO, 601, {
      windowMs: 60 * 60_000,
      pollMs: 30_000,
      clock,
      progress: () => undefined,
    });
    expect(outcome).toMatchObject({ decided: false, gate: 'waiting' });
    expect(clock.now() - Date.parse('2026-11-28T07:00:00Z')).toBeLessThanOrEqual(60 * 60_000);
    expect(clock.now() - Date.parse('2026-11-28T07:00:00Z')).toBeGreaterThanOrEqual(59 * 60_000);
  });

  it('keeps holding through API errors (an expired token does not end the window early)', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/602/jobs`]: [
        { status: 502, body: {} },
        jobs(job('dr / approval-gate', 'completed', 'failure')),
      ],
    });
    const outcome = await holdForDecision(client(standIn.url), REPO, 602, {
      windowMs: 60 * 60_000,
      pollMs: 30_000,
      clock: fakeClock(),
      progress: () => undefined,
    });
    expect(outcome).toMatchObject({ decided: true, gate: 'completed (failure)' });
  });
});

describe('release after teardown', () => {
  it('cancels the run when the gate is still waiting', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/700/jobs`]: [jobs(job('dr / approval-gate', 'waiting'))],
      [`POST ${BASE}/runs/700/cancel`]: [{ status: 202, body: {} }],
    });
    expect(await releaseUndecided(client(standIn.url), REPO, 700)).toMatchObject({ cancelled: true });
    expect(standIn.requests.map((r) => `${r.method} ${r.url}`)).toContain(`POST ${BASE}/runs/700/cancel`);
  });

  it('leaves a decided gate alone, so promote records the decision', async () => {
    standIn = await startGitHubStandIn({
      [`GET ${BASE}/runs/701/jobs`]: [jobs(job('dr / approval-gate', 'completed', 'success'))],
    });
    expect(await releaseUndecided(client(standIn.url), REPO, 701)).toMatchObject({ cancelled: false });
    expect(standIn.requests.some((r) => r.method === 'POST')).toBe(false);
  });
});
