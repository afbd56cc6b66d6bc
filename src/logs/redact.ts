import { REDACTED, sanitizeFinding } from '../receipts/sanitize.js';

/** nextToken, nextForwardToken, nextBackwardToken, NextToken, ...: pagination cursors, opaque and replayable. */
const PAGINATION_TOKEN_KEY = /^next[A-Za-z]*Token$/i;

export interface RedactionCount {
  tokens: number;
  /** Values (log messages and any other field) in which the sanitiser replaced a secret. */
  messages: number;
}

export interface RedactOptions {
  /**
   * Also run the one sanitiser (src/receipts/sanitize.ts) over every other value: a secret inside a log
   * message is replaced, the rest of the message (and JSON inside it) is kept.
   */
  sanitizeMessages: boolean;
}

/**
 * Deep copy with every pagination token's value replaced by a fixed marker: keys, nesting, arrays and
 * every other value stay as they were, so tools that read the AWS shape still read it. Idempotent: the
 * marker is itself left alone, so redacting redacted output changes nothing (counts only new redactions).
 */
export function redactDocument(
  value: unknown,
  options: RedactOptions,
): { document: unknown; count: RedactionCount } {
  const count: RedactionCount = { tokens: 0, messages: 0 };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(node)) {
      if (PAGINATION_TOKEN_KEY.test(key) && inner !== null && inner !== undefined) {
        if (inner !== REDACTED) count.tokens++;
        out[key] = REDACTED;
      } else {
        out[key] = walk(inner);
      }
    }
    return out;
  };
  const document = walk(value);
  if (!options.sanitizeMessages) return { document, count };
  const sanitized = sanitizeFinding(document);
  count.messages = sanitized.hits.length;
  return { document: sanitized.value, count };
}

/** The file format of everything `standby logs` writes: 2-space JSON and a trailing newline. */
export function serializeDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Redacts a JSON text (any AWS CLI or SDK output). Throws a readable error for text that is not JSON. */
export function redactText(text: string, options: RedactOptions): { text: string; count: RedactionCount } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `not JSON (${(error as Error).message}): logs redact reads JSON such as \`aws logs get-log-events\` output`,
    );
  }
  const { document, count } = redactDocument(parsed, options);
  return { text: serializeDocument(document), count };
}
