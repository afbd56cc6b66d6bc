import type { GitHubClient } from './client.js';
import { GitHubApiError } from './errors.js';
import { type RepositoryRef, repoPath } from './repository.js';

/**
 * Repository variables for GitHub Actions (what workflows read as `vars.NAME`). GitHub's REST API:
 * GET/PATCH /repos/{owner}/{repo}/actions/variables/{name} and POST /repos/{owner}/{repo}/actions/variables
 * (https://docs.github.com/en/rest/actions/variables); writing needs the "Variables" repository
 * permission (write) of a fine-grained token, or the `repo` scope of a classic one.
 */

/** The variable's value, or undefined when the repository has no such variable (404). */
export async function getRepositoryVariable(
  client: GitHubClient,
  ref: RepositoryRef,
  name: string,
): Promise<string | undefined> {
  try {
    const answer = await client.request<{ value?: unknown }>(
      'GET',
      `${repoPath(ref)}/actions/variables/${encodeURIComponent(name)}`,
    );
    return typeof answer?.value === 'string' ? answer.value : undefined;
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Sets the variable: updates it (PATCH, 204), or creates it (POST, 201) when it does not exist yet. */
export async function setRepositoryVariable(
  client: GitHubClient,
  ref: RepositoryRef,
  name: string,
  value: string,
): Promise<'updated' | 'created'> {
  try {
    await client.request('PATCH', `${repoPath(ref)}/actions/variables/${encodeURIComponent(name)}`, {
      name,
      value,
    });
    return 'updated';
  } catch (error) {
    if (!(error instanceof GitHubApiError && error.status === 404)) throw error;
  }
  await client.request('POST', `${repoPath(ref)}/actions/variables`, { name, value });
  return 'created';
}
