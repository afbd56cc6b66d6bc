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
