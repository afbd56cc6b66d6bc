import { GitHubClient } from '../github/client.js';
import { parseRepository, type RepositoryRef } from '../github/repository.js';
import { CliError, EXIT } from './exit-codes.js';

export interface GitHubAccess {
  client: GitHubClient;
  repository: RepositoryRef;
}

/**
 * The operator's own GitHub identity: GH_TOKEN or GITHUB_TOKEN (never a flag, so it stays out of shell
 * history), the repository from --repo or GITHUB_REPOSITORY, the API from --api-url or GITHUB_API_URL.
 */
export function githubAccess(
  flags: { repo?: string; apiUrl?: string },
  progress: (line: string) => void,
): GitHubAccess {
  const token = process.env.GH_TOKEN || process.env.GITHUB_TOKEN;
  if (!token) {
    throw new CliError('no GitHub token: set GH_TOKEN (e.g. `export GH_TOKEN=$(gh auth token)`)', EXIT.usage);
  }
  const repo = flags.repo ?? process.env.GITHUB_REPOSITORY;
  if (!repo)
    throw new CliError('which repository? pass --repo owner/name (or set GITHUB_REPOSITORY)', EXIT.usage);
  let repository: RepositoryRef;
  try {
    repository = parseRepository('--repo', repo);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
  const baseUrl = flags.apiUrl ?? process.env.GITHUB_API_URL;
  return { client: new GitHubClient({ token, baseUrl, onRetry: progress }), repository };
}
