import { afterAll, describe, expect, it } from '@jest/globals';
import { approval, startGitHubStandIn } from '../helpers/github-api.js';

/**
 * With no base URL given, the client talks to GITHUB_API_URL (the runner sets it; GHES points it at
 * https://<host>/api/v3), as @actions/github decides. @actions/github reads it when it is loaded, as
 * on the runner, so the variable is set before the client's module is imported.
 */
describe('GitHub API base URL from GITHUB_API_URL', () => {
  const saved = process.env.GITHUB_API_URL;
  afterAll(() => {
    if (saved === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = saved;
  });

  it('sends requests to GITHUB_API_URL when no baseUrl is given', async () => {
    const standIn = await startGitHubStandIn({
      'GET /repos/octo-org/octo-repo/actions/runs/42/approvals': [
        { status: 200, body: [approval('approved', 'go')] },
      ],
    });
    try {
      process.env.GITHUB_API_URL = standIn.url;
      const { GitHubClient } = await import('../../src/github/client.js');
      const { listRunApprovals } = await import('../../src/github/deployments.js');
      const client = new GitHubClient({ token: 'ghs_test' });
      expect(client.baseUrl).toBe(standIn.url);
      const log = await listRunApprovals(client, { owner: 'octo-org', repo: 'octo-repo' }, 42);
      expect(log[0]?.comment).toBe('go');
      expect(standIn.requests).toHaveLength(1);
    } finally {
      await standIn.close();
    }
  });
});
