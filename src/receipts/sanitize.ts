import { isCommitName, isSecretName } from './secret-names.js';
import { REDACTED, redactText, secretKinds } from './secret-text.js';

/**
 * The one sanitiser for everything standby writes: receipts (inputs, outputs, error), job summaries,
 * notifications, evidence bundles and exported logs. Values are replaced by `[redacted]`, shapes are kept:
 * a URL stays a URL with only its secret part replaced, a key stays a key, JSON inside a string stays
 * parseable JSON, arrays keep their length. Nothing about a secret survives, not even its length.
 *
 * - a value under a secret-named key (`password`, `clientSecret`, `x-amz-security-token`, ...) is replaced
 *   whatever it looks like (strings and numbers; inside an object or array every such leaf);
 * - a key that is itself a secret (a token used as a map key) is replaced;
 * - strings are searched for secret shapes (src/receipts/secret-text.ts); a string holding a JSON object
 *   or array is parsed and sanitised as data, so keys inside it are judged too.
 */
export { REDACTED } from './secret-text.js';

interface Context {
  /** Under a secret-named key: every string and number leaf goes. */
  secret: boolean;
  /** Under a key naming a commit: a 40-hex value is a commit id, not a token. */
  commit: boolean;
}

const PLAIN: Context = { secret: false, commit: false };

/** Where a secret was found (a JSON path) and what kind it looked like; never the secret itself. */
export interface SecretHit {
  path: string;
  kinds: string[];
}

export function isSecretKey(key: string): boolean {
  return isSecretName(key);
}

/** True when the sanitiser would change this text. */
export function looksSecret(value: string): boolean {
  return sanitizeText(value) !== value;
}

/** A string with its secrets replaced; JSON inside it is sanitised as data and re-serialised only if changed. */
export function sanitizeText(text: string): string {
  return sanitizeString(text, PLAIN);
}

/** Deep copy with every secret replaced (see the module comment). */
export function sanitize(value: unknown): unknown {
  return walk(value, PLAIN, '$');
}

export function sanitizeRecord(record: Record<string, unknown>): Record<string, unknown> {
  return sanitize(record) as Record<string, unknown>;
}

/** Every place in `value` that holds a secret; empty when `sanitize` would change nothing. */
export function findSecrets(value: unknown): SecretHit[] {
  return sanitizeFinding(value).hits;
}

/** `sanitize` and `findSecrets` in one walk: the sanitised copy and where the secrets were. */
export function sanitizeFinding(value: unknown): { value: unknown; hits: SecretHit[] } {
  const hits: SecretHit[] = [];
  return { value: walk(value, PLAIN, '$', hits), hits };
}

function walk(value: unknown, context: Context, path: string, hits?: SecretHit[]): unknown {
  if (typeof value === 'string') {
    const out = context.secret && value !== REDACTED ? REDACTED : sanitizeString(value, context);
    if (out !== value)
      hits?.push({ path, kinds: context.secret ? ['secret-named key'] : kindsOf(value, context) });
    return out;
  }
  if (typeof value === 'number' && context.secret) {
    hits?.push({ path, kinds: ['secret-named key'] });
    return REDACTED;
  }
  if (Array.isArray(value)) return value.map((item, index) => walk(item, context, `${path}[${index}]`, hits));
  if (value !== null && typeof value === 'object')
    return walkObject(value as Record<string, unknown>, context, path, hits);
  return value;
}

function walkObject(
  value: Record<string, unknown>,
  context: Context,
  path: string,
  hits?: SecretHit[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    let name = redactText(key);
    if (name !== key) hits?.push({ path: `${path}.<key>`, kinds: secretKinds(key) });
    for (let n = 2; name in out; n++) name = `${redactText(key)}#${n}`;
    const child: Context = {
      secret: context.secret || isSecretName(key),
      commit: isCommitName(key),
    };
    out[name] = walk(inner, child, `${path}.${name}`, hits);
  }
  return out;
}

function sanitizeString(text: string, context: Context): string {
  const json = parseJsonContainer(text);
  if (json !== undefined) {
    const cleaned = walk(json, context, '$');
    if (JSON.stringify(cleaned) === JSON.stringify(json)) return text;
    return JSON.stringify(cleaned, null, /\n\s/.test(text) ? 2 : undefined);
  }
  return redactText(text, { commitContext: context.commit });
}

function kindsOf(text: string, context: Context): string[] {
  const json = parseJsonContainer(text);
  if (json !== undefined) {
    const inner = findSecrets(json).flatMap((hit) => hit.kinds);
    return [...new Set(['JSON in a string', ...inner])];
  }
  return secretKinds(text, { commitContext: context.commit });
}

/** A string that holds a JSON object or array (not a bare number or quoted string). */
function parseJsonContainer(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
