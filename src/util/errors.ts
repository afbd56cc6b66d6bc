/**
 * A readable one-line description of anything thrown. AWS SDK errors keep their name, which is the
 * AWS error code (NoSuchKey, AccessDenied, ...); our own errors already say what went wrong.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const isAwsError = '$metadata' in error;
    return isAwsError && error.name && !error.message.startsWith(error.name)
      ? `${error.name}: ${error.message}`
      : error.message;
  }
  return String(error);
}

/** The AWS error code (S3 NoSuchKey, AccessDenied, ...) or HTTP status of an SDK error, when there is one. */
export function awsErrorCode(error: unknown): { name: string; status?: number } {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return { name: e?.Code ?? e?.name ?? 'Error', status: e?.$metadata?.httpStatusCode };
}

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN']);

/**
 * An error that says nothing about the thing asked for, only that the service or the network did not
 * answer this time: 5xx, 429, throttling, timeouts, dropped connections. By the time a caller sees one,
 * the SDK has already retried it (standard retry mode); it means "unknown", never "bad" or "absent".
 */
export function isTransientError(error: unknown): boolean {
  const { name, status } = awsErrorCode(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (TRANSIENT_NAMES.has(name)) return true;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  // A dropped connection can reach us wrapped as a plain message (the SDK's "error wrapper").
  const message = error instanceof Error ? error.message : String(error);
  return /socket hang up|ECONNRESET|ETIMEDOUT|EPIPE|TimeoutError/.test(message);
}
