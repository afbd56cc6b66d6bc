import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The pipeline run the forged-approval drill's receipts claim, as GitHub would record it. */
export interface StandInRun {
  repository: string;
  runId: string;
  workflowFile: string;
  /** Who started the run (actor and triggering_actor). */
  actor: string;
}

/**
 * A loopback stand-in for the two GitHub REST calls activation makes (the run's record and its
 * environment review log), for the local rehearsal's forged-approval drill: the run exists, and nobody
 * reviewed its environment, which is what "no GitHub environment deployment behind the receipt" means.
 * Bodies are shaped like docs.github.com's examples ("Get a workflow run", "Get the review history for a
 * workflow run"); every other path is GitHub's 404. It only reads: no route changes anything.
 */
export async function startGitHubStandIn(run: StandInRun) {
  const requests: string[] = [];
  const base = `/repos/${run.repository}/actions/runs/${run.runId}`;
  const user = { login: run.actor, id: 1, type: 'User', site_admin: false };
  const routes: Record<string, unknown> = {
    [base]: {
      id: Number(run.runId),
      name: run.workflowFile,
      path: `.github/workflows/${run.workflowFile}`,
      head_branch: 'main',
      status: 'in_progress',
      conclusion: null,
      event: 'workflow_dispatch',
      html_url: `https://github.com/${run.repository}/actions/runs/${run.runId}`,
      actor: user,
      triggering_actor: user,
      repository: { full_name: run.repository },
    },
    [`${base}/approvals`]: [],
  };
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(`${req.method} ${url}`);
    const body = req.method === 'GET' ? routes[url] : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify(
        body ?? { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
