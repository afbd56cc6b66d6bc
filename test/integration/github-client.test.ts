import { afterEach, describe, expect, it } from '@jest/globals';
import { GitHubClient } from '../../src/github/client.js';
import {
  getPendingDeployments,
  listRunApprovals,
  reviewPendingDeployments,
} from '../../src/github/deployments.js';
import { GitHubApiError } from '../../src/github/errors.js';
import { getWorkflowRun, listRunJobs, listWorkflowRuns } from '../../src/github/runs.js';
import {
  approval,
  forbidden,
  notFound,
  pendingDeployment,
  primaryRateLimited,
  type ScriptedResponse,
  secondaryRateLimited,
  startGitHubStandIn,
} from '../helpers/github-api.js';

const repo = { owner: 'octo-org', repo: 'octo-repo' };
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>> | undefined;

async function clientFor(routes: Record<string, ScriptedResponse[]>) {
  standIn = await startGitHubStandIn(routes);
  const sleeps: number[] = [];
  const client = new GitHubClient({
    token: TOKEN,
    baseUrl: standIn.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { client, sleeps, server: standIn };
}

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const approvals = '/repos/octo-org/octo-repo/actions/runs/42/approvals';
const pending = '/repos/octo-org/octo-repo/actions/runs/42/pending_deployments';

describe('GitHub REST client over HTTP', () => {
  it('reads the review log with the documented headers and the token as its credential', async () => {
    const { client, server } = await clientFor({
      [`GET ${approvals}`]: [{ status: 200, body: [approval('approved', 'Ship it!')] }],
    });
    const log = await listRunApprovals(client, repo, 42);
    expect(log[0]).toMatchObject({ state: 'approved', comment: 'Ship it!', user: { login: 'octocat' } });
    const sent = server.requests[0];
    // Octokit's form; GitHub takes `token` and `Bearer` alike (docs/architecture.md).
    expect(sent?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(sent?.headers.accept).toBe('application/vnd.github+json');
    expect(sent?.headers['x-github-api-version']).toBe('2022-11-28');
  });

  it('returns an empty log when nobody has reviewed yet', async () => {
    const { client } = await clientFor({ [`GET ${approvals}`]: [{ status: 200, body: [] }] });
    expect(await listRunApprovals(client, repo, 42)).toEqual([]);
  });

  it('reads pending deployments and posts a review with environment_ids, state and comment', async () => {
    const { client, server } = await clientFor({
      [`GET ${pending}`]: [{ status: 200, body: [pendingDeployment()] }],
      [`POST ${pending}`]: [{ status: 200, body: [{ id: 1, environment: 'dr-promotion' }] }],
    });
    const waiting = await getPendingDeployments(client, repo, 42);
    expect(waiting[0]?.environment.id).toBe(161088068);
    await reviewPendingDeployments(client, repo, 42, {
      environmentIds: [161088068],
      state: 'rejected',
      comment: 'backup too old',
    });
    const post = server.requests.find((r) => r.method === 'POST');
    expect(JSON.parse(post?.body ?? '')).toEqual({
      environment_ids: [161088068],
      state: 'rejected',
      comment: 'backup too old',
    });
    expect(post?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('refuses to post a review with nothing waiting', async () => {
    const { client, server } = await clientFor({});
    await expect(
      reviewPendingDeployments(client, repo, 42, { environmentIds: [], state: 'approved', comment: '' }),
    ).rejects.toThrow('nothing is waiting');
    expect(server.requests).toHaveLength(0);
  });

  it('gets a run, pages through its jobs and lists a workflow’s runs', async () => {
    const job = (id: number) => ({
      id,
      run_id: 42,
      name: `job-${id}`,
      status: 'completed',
      conclusion: 'success',
      started_at: '2026-11-22T01:00:00Z',
      completed_at: '2026-11-22T01:01:00Z',
      html_url: null,
    });
    const { client, server } = await clientFor({
      'GET /repos/octo-org/octo-repo/actions/runs/42': [
        {
          status: 200,
          body: { id: 42, run_number: 7, event: 'workflow_dispatch', status: 'waiting', conclusion: null },
        },
      ],
      'GET /repos/octo-org/octo-repo/actions/runs/42/jobs': [
        {
          status: 200,
          body: { total_count: 101, jobs: Array.from({ length: 100 }, (_, i) => job(i + 1)) },
          nextPage: true,
        },
        { status: 200, body: { total_count: 101, jobs: [job(101)] } },
      ],
      'GET /repos/octo-org/octo-repo/actions/workflows/dr-pipeline.yml/runs': [
        { status: 200, body: { total_count: 1, workflow_runs: [{ id: 42 }] } },
      ],
    });
    expect((await getWorkflowRun(client, repo, 42)).status).toBe('waiting');
    expect(await listRunJobs(client, repo, 42)).toHaveLength(101);
    const runs = await listWorkflowRuns(client, repo, 'dr-pipeline.yml', { status: 'waiting', perPage: 5 });
    expect(runs.map((r) => r.id)).toEqual([42]);
    expect(server.requests.map((r) => r.url)).toContain(
      '/repos/octo-org/octo-repo/actions/workflows/dr-pipeline.yml/runs?per_page=5&status=waiting',
    );
    // The second page is the one GitHub's Link header named, followed by octokit.paginate.
    expect(server.requests.filter((r) => r.url.includes('/jobs?')).map((r) => r.url)).toEqual([
      '/repos/octo-org/octo-repo/actions/runs/42/jobs?filter=latest&per_page=100',
      '/repos/octo-org/octo-repo/actions/runs/42/jobs?filter=latest&per_page=100&page=2',
    ]);
  });

  it('404: says what to check, and does not retry', async () => {
    const { client, server } = await clientFor({ [`GET ${approvals}`]: [notFound] });
    const error = await listRunApprovals(client, repo, 42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(404);
    expect((error as Error).message).toContain('check the repository (owner/name), the run id');
    expect(server.requests).toHaveLength(1);
  });

  it('403 without rate-limit headers: names the permission to grant, does not retry, never shows the token', async () => {
    const { client, server } = await clientFor({ [`GET ${approvals}`]: [forbidden] });
    const error = (await listRunApprovals(client, repo, 42).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('Resource not accessible by integration');
    expect(error.message).toContain("'actions: read'");
    expect(error.message).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(1);
  });

  it('401: asks for a valid token', async () => {
    const { client } = await clientFor({
      [`GET ${approvals}`]: [{ status: 401, body: { message: 'Bad credentials' } }],
    });
    await expect(listRunApprovals(client, repo, 42)).rejects.toThrow('pass a valid github-token');
  });

  it('primary rate limit (403, remaining 0): waits until the reset, then succeeds', async () => {
    const reset = Math.floor(Date.now() / 1000) + 5;
    const { client, sleeps, server } = await clientFor({
      [`GET ${approvals}`]: [primaryRateLimited(reset), { status: 200, body: [approval('rejected', 'no')] }],
    });
    expect((await listRunApprovals(client, repo, 42))[0]?.state).toBe('rejected');
    expect(server.requests).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThan(3000);
    expect(sleeps[0]).toBeLessThanOrEqual(7000);
  });

  it('secondary rate limit (429, retry-after): waits as told (with the injected sleep, not for real), then gives up with a clear error', async () => {
    const { client, sleeps, server } = await clientFor({ [`GET ${approvals}`]: [secondaryRateLimited(3)] });
    const started = Date.now();
    await expect(listRunApprovals(client, repo, 42)).rejects.toThrow('rate limited and out of retries');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(5);
    expect(sleeps).toEqual([3000, 3000, 3000, 3000]);
  });

  it('retries 5xx with growing backoff and succeeds', async () => {
    const { client, sleeps } = await clientFor({
      [`GET ${approvals}`]: [
        { status: 502, body: { message: 'Server Error' } },
        { status: 503 },
        { status: 200, body: [] },
      ],
    });
    expect(await listRunApprovals(client, repo, 42)).toEqual([]);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('retries a network failure, then reports the API as unreachable', async () => {
    const client = new GitHubClient({
      token: TOKEN,
      baseUrl: 'http://127.0.0.1:9',
      retry: { maxAttempts: 2 },
      sleep: async () => {},
    });
    await expect(listRunApprovals(client, repo, 42)).rejects.toThrow('unreachable after 2 attempts');
  });

  it('PATCH and concurrent calls go through the one client, each with its own body and answer', async () => {
    const issue = '/repos/octo-org/octo-repo/issues/7';
    const { client, server } = await clientFor({
      [`PATCH ${issue}`]: [{ status: 200, body: { number: 7, state: 'closed' } }],
      [`GET ${approvals}`]: [{ status: 200, body: [approval('approved', 'ok')] }],
      [`GET ${pending}`]: [{ status: 200, body: [pendingDeployment()] }],
    });
    const [patched, log, waiting] = await Promise.all([
      client.request<{ state: string }>('PATCH', issue, { state: 'closed' }),
      listRunApprovals(client, repo, 42),
      getPendingDeployments(client, repo, 42),
    ]);
    expect(patched.state).toBe('closed');
    expect(log[0]?.state).toBe('approved');
    expect(waiting).toHaveLength(1);
    const patch = server.requests.find((r) => r.method === 'PATCH');
    expect(JSON.parse(patch?.body ?? '')).toEqual({ state: 'closed' });
    expect(server.requests).toHaveLength(3);
  });

  it('a 204 answer resolves to undefined', async () => {
    const cancel = '/repos/octo-org/octo-repo/actions/runs/42/cancel';
    const { client } = await clientFor({ [`POST ${cancel}`]: [{ status: 204 }] });
    await expect(client.request('POST', cancel)).resolves.toBeUndefined();
  });
});
