import { InputError, quoted } from '../validation/errors.js';

export interface RepositoryRef {
  owner: string;
  repo: string;
}

/** owner/name as GitHub allows them; the pair is spliced into URL paths, so nothing else gets through. */
export function parseRepository(input: string, raw: string): RepositoryRef {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(raw.trim());
  if (!match || match[2] === '.' || match[2] === '..') {
    throw new InputError(input, `${quoted(raw)} is not owner/name (e.g. acme/batch-dr)`);
  }
  return { owner: match[1] as string, repo: match[2] as string };
}

export function parseRunId(input: string, raw: string): number {
  const value = raw.trim();
  if (!/^[1-9]\d{0,18}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InputError(
      input,
      `${quoted(raw)} is not a workflow run id (a positive whole number, e.g. GITHUB_RUN_ID)`,
    );
  }
  return Number(value);
}

export function repoPath(ref: RepositoryRef): string {
  return `/repos/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}`;
}

/** GitHub environment names: up to 255 characters, no control characters or slashes that break URLs. */
export function parseEnvironmentName(input: string, raw: string): string {
  const value = raw.trim();
  if (!/^[A-Za-z0-9 ._-]{1,255}$/.test(value)) {
    throw new InputError(input, `${quoted(raw)} is not an environment name (letters, digits, space . _ -)`);
  }
  return value;
}
