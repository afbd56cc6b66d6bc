import { isSecretName, isSecretParam } from './secret-names.js';

/** What replaces a secret value. Fixed, so nothing about the secret (not even its length) survives. */
export const REDACTED = '[redacted]';

type Rule = { name: string; pattern: RegExp; replace: (match: string, ...groups: string[]) => string };

const NAME = '[A-Za-z][A-Za-z0-9_.-]*';
const SCHEMES = 'Bearer|Basic|Digest|Token|token|AWS4-HMAC-SHA256';
/** Leaves an already redacted match alone (idempotence), else gives the replacement. */
const unlessRedacted = (match: string, value: string, replacement: string) =>
  value.includes(REDACTED) ? match : replacement;
/** A credential-like run: long enough and not a plain word ("Basic authentication" is not a credential). */
const credentialLike = (value: string) => value.length >= 12 && /[0-9._~+/=-]/.test(value);
const mixed = (value: string) => /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
/** Words before a 40-hex run on the same line that say it is a git commit, not a token. */
const COMMIT_CONTEXT = /\b(commit|sha1?|revision|rev|ref|head_sha|git[-_ ]?sha)\b[^\n]{0,30}$/i;

/**
 * `name=value` (or `name%3Dvalue`) where the name names a secret. The lead may be a quote or a bracket too,
 * so `"AWS_SECRET_ACCESS_KEY=…"` quoted in prose is caught; percent-encoded leads (`%3F`, `%26`, `%23`)
 * start a parameter in an encoded URL.
 */
function secretParameter(name: string, separator: string, value: string): Rule {
  return {
    name,
    pattern: new RegExp(`(^|[?&#;,\\s"'(\\[{]|%3[Ff]|%26|%23)(${NAME})(${separator})(${value})`, 'g'),
    replace: (m, lead, param, sep, secret) =>
      isSecretParam(param) ? unlessRedacted(m, secret, `${lead}${param}${sep}${REDACTED}`) : m,
  };
}

/**
 * Secret shapes in free text, in the order they are applied. Each keeps the text's shape: a URL stays a
 * URL (only the password or the parameter value goes), `key: value` keeps its key, a PEM block keeps its
 * BEGIN/END lines, a JSON fragment stays valid JSON.
 */
const RULES: Rule[] = [
  {
    name: 'private key',
    pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    replace: (_m, kind) =>
      `-----BEGIN ${kind}PRIVATE KEY-----\n${REDACTED}\n-----END ${kind}PRIVATE KEY-----`,
  },
  {
    name: 'URL password',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:"'<>]*):([^\s/?#@"'<>]+)@/gi,
    replace: (m, scheme, user, password) => unlessRedacted(m, password, `${scheme}${user}:${REDACTED}@`),
  },
  {
    name: 'Slack webhook URL',
    // The whole path names the webhook: whoever holds it can post (docs.slack.dev, incoming webhooks).
    pattern: /\b(https:\/\/hooks\.slack\.com\/(?:services|triggers|workflows)\/)([^\s"'<>]+)/gi,
    replace: (m, prefix, path) => unlessRedacted(m, path, `${prefix}${REDACTED}`),
  },
  {
    name: 'k3s token',
    // K10<CA hash>::<user>:<password> or K10<CA hash>::<bearer token> (docs.k3s.io/cli/token): the CA hash
    // is a pin and the user a role name; the password or bearer token is the secret.
    pattern: /\b(K10[0-9a-fA-F]{64}::(?:[A-Za-z0-9_.-]+:)?)([^\s"'<>,;&]+)/g,
    replace: (m, prefix, secret) => unlessRedacted(m, secret, `${prefix}${REDACTED}`),
  },
  secretParameter('secret parameter', '=', `[^&#\\s"'<>,;]+`),
  // A URL inside a URL (a redirect target, a logged request line) has its `=` and `&` percent-encoded.
  secretParameter('URL-encoded secret parameter', '%3[Dd]', `(?:(?!%26|%23)[^&#\\s"'<>,;])+`),
  {
    name: 'JSON secret field',
    pattern: new RegExp(`"(${NAME})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'g'),
    replace: (m, name, colon, value) =>
      isSecretName(name) ? unlessRedacted(m, value, `"${name}"${colon}"${REDACTED}"`) : m,
  },
  {
    // The same inside a JSON string that is itself inside JSON: \"password\":\"...\"
    name: 'escaped JSON secret field',
    pattern: new RegExp(`\\\\"(${NAME})\\\\"(\\s*:\\s*)\\\\"((?:[^"\\\\]|\\\\[^"])*)\\\\"`, 'g'),
    replace: (m, name, colon, value) =>
      isSecretName(name) ? unlessRedacted(m, value, `\\"${name}\\"${colon}\\"${REDACTED}\\"`) : m,
  },
  {
    name: 'auth scheme',
    pattern: /\b(Bearer|Basic|Digest|Token|token)(\s+)([A-Za-z0-9._~+/=-]+)/g,
    replace: (m, scheme, space, value) => (credentialLike(value) ? `${scheme}${space}${REDACTED}` : m),
  },
  {
    // kubeconfig `token:`, `password:`, `client-key-data:`; HTTP headers; `Authorization: Bearer x`.
    name: 'YAML or header secret field',
    pattern: new RegExp(
      `(^|[\\s{,;(|"])(${NAME})(\\s*:[ \\t]*)((?:${SCHEMES})[ \\t]+)?("[^"\\n]*"|'[^'\\n]*'|(?:[^\\s"',;{}|\\\\]|\\\\(?!"))+)`,
      'gm',
    ),
    replace: (m, lead, name, colon, scheme = '', value) => {
      if (!isSecretName(name) || value.includes(REDACTED)) return m;
      const quote = /^["']/.test(value) ? value[0] : '';
      return `${lead}${name}${colon}${scheme}${quote}${REDACTED}${quote}`;
    },
  },
  {
    name: 'GitHub token',
    // Not `\b`: `_` is a word character, so `GH_ghs_…` has no word boundary before the token.
    pattern: /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
    replace: () => REDACTED,
  },
  {
    name: 'JWT',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
    replace: () => REDACTED,
  },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: () => REDACTED },
  {
    name: 'AWS session token',
    pattern: /(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{20,}/g,
    replace: () => REDACTED,
  },
  { name: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, replace: () => REDACTED },
  {
    name: 'long base64 secret',
    pattern: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{100,}={0,2}(?![A-Za-z0-9+/=])/g,
    replace: (m) => (mixed(m) ? REDACTED : m),
  },
  {
    name: 'AWS secret access key',
    pattern: /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g,
    replace: (m) => (mixed(m) ? REDACTED : m),
  },
];

/** 40 hex digits: an old GitHub OAuth token, a SHA-1 API key... unless the words before it say "commit". */
const HEX40: Rule = {
  name: '40-hex token',
  pattern: /(?<![0-9A-Za-z])[0-9a-fA-F]{40}(?![0-9A-Za-z])/g,
  replace: (m, ...rest) => {
    const [offset, whole] = rest.slice(-2) as unknown as [number, string];
    return COMMIT_CONTEXT.test(whole.slice(Math.max(0, offset - 40), offset)) ? m : REDACTED;
  },
};

export interface TextOptions {
  /** The value sits under a key that names a commit (`commit`, `sha`, ...): 40-hex is kept. */
  commitContext?: boolean;
}

function apply(text: string, options: TextOptions, hit?: (rule: string) => void): string {
  let out = text;
  for (const rule of options.commitContext ? RULES : [...RULES, HEX40]) {
    const next = out.replace(rule.pattern, rule.replace as (m: string, ...g: unknown[]) => string);
    if (next !== out) hit?.(rule.name);
    out = next;
  }
  return out;
}

/** Replaces every secret in `text`, keeping its shape; returns the text unchanged when there is none. */
export function redactText(text: string, options: TextOptions = {}): string {
  return apply(text, options);
}

/** The kinds of secret found (rule names), for messages that must not quote the secret itself. */
export function secretKinds(text: string, options: TextOptions = {}): string[] {
  const kinds: string[] = [];
  apply(text, options, (name) => kinds.push(name));
  return kinds;
}
