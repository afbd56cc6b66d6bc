/** What GitHub said, plus what the operator can do about it. Never carries the token. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly apiMessage: string,
    readonly hint: string,
  ) {
    super(`GitHub API ${method} ${path} answered ${status}${apiMessage ? ` (${apiMessage})` : ''}: ${hint}`);
    this.name = 'GitHubApiError';
  }
}

/** Guidance per status, so a failed call says what to fix rather than only what happened. */
export function hintFor(status: number, rateLimited: boolean): string {
  if (rateLimited)
    return 'rate limited and out of retries; wait for the limit to reset, or use a token with its own quota';
  switch (status) {
    case 401:
      return 'the token is missing, expired or revoked; pass a valid github-token (GITHUB_TOKEN or a PAT/App token)';
    case 403:
      return "the token lacks permission; the job needs 'actions: read' (approve/reject needs a required reviewer's own token with 'deployments: write')";
    case 404:
      return 'not found; check the repository (owner/name), the run id, and that the token can see this repository';
    case 422:
      return 'GitHub refused the request body; check environment ids and that the run is still waiting for review';
    default:
      return status >= 500
        ? 'GitHub had a server error and retries ran out; try again later'
        : 'unexpected response';
  }
}
