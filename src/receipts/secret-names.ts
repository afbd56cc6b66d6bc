/**
 * Which names (object keys, query parameters, YAML/ENV fields, headers) hold a secret. A name is split into
 * words (camelCase, '-', '_', '.', spaces) and compacted, so `AWS_SECRET_ACCESS_KEY`, `clientSecret`,
 * `x-amz-security-token` and `client-key-data` are all caught while `author`, `session-name` or `key`
 * (an S3 key) are not.
 */
const SECRET_FRAGMENTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'privatekey',
  'apikey',
  'accesskey',
  'clientkeydata',
  'kubeconfig',
  'authorization',
  'cookie',
  'signature',
] as const;

/** Whole words that are secrets on their own but too short to look for inside other words. */
const SECRET_WORDS = new Set(['pwd', 'auth', 'sig', 'jwt', 'pat']);

/** Extra query-parameter names: `?code=` (OAuth) is a secret in a URL, but `code` is an ordinary JSON key. */
const SECRET_PARAMS = new Set(['code', 'sig']);

/** Keys whose 40-hex value is a git commit, not a token. */
const COMMIT_WORDS = new Set(['commit', 'sha', 'sha1', 'revision', 'rev', 'ref', 'head', 'git']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  const parts = words(name);
  const compact = parts.join('');
  return (
    SECRET_FRAGMENTS.some((fragment) => compact.includes(fragment)) || parts.some((w) => SECRET_WORDS.has(w))
  );
}

export function isSecretParam(name: string): boolean {
  return isSecretName(name) || SECRET_PARAMS.has(name.toLowerCase());
}

/** `commit`, `head_sha`, `git-sha`, `revision`: a 40-hex value under such a key is a commit id and stays. */
export function isCommitName(name: string): boolean {
  return words(name).some((w) => COMMIT_WORDS.has(w));
}
