/** A readable one-line description of anything thrown, including AWS SDK service errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}

/** The AWS error code (S3 NoSuchKey, AccessDenied, ...) or HTTP status of an SDK error, when there is one. */
export function awsErrorCode(error: unknown): { name: string; status?: number } {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return { name: e?.Code ?? e?.name ?? 'Error', status: e?.$metadata?.httpStatusCode };
}
