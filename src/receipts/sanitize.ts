/**
 * Keeps secrets out of receipts and logs. A key that names a secret is dropped entirely (not even
 * its length survives); a value that looks like a credential is replaced by a fixed marker.
 */
const SECRET_KEY =
  /(token|secret|password|passwd|credential|private[-_]?key|access[-_]?key|kubeconfig|auth|cookie|session)/i;

const SECRET_VALUE: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, // JWTs (OIDC tokens)
  /client-(certificate|key)-data:/, // kubeconfig content
  /X-Amz-Signature=|X-Amz-Credential=|X-Amz-Security-Token=/i, // presigned URLs
  /\b(Bearer|token)\s+[A-Za-z0-9._~+/-]{16,}/i,
];

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function looksSecret(value: string): boolean {
  return SECRET_VALUE.some((pattern) => pattern.test(value));
}

/** Deep copy with secret-named keys removed and secret-looking strings redacted. */
export function sanitize(value: unknown): unknown {
  if (typeof value === 'string') return looksSecret(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(sanitize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (!isSecretKey(key)) out[key] = sanitize(inner);
    }
    return out;
  }
  return value;
}

export function sanitizeRecord(record: Record<string, unknown>): Record<string, unknown> {
  return sanitize(record) as Record<string, unknown>;
}
