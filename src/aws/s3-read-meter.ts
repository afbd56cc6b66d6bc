import type { S3Client } from '@aws-sdk/client-s3';
import { NO_S3_READS, type S3Reads } from '../cost/usage.js';

/** The S3 read commands a drill pays for, by the counter they add to (HEAD is billed with GET). */
const COUNTED: Record<string, 'get_requests' | 'head_requests' | 'list_requests'> = {
  GetObjectCommand: 'get_requests',
  HeadObjectCommand: 'head_requests',
  GetObjectAttributesCommand: 'head_requests',
  ListObjectsV2Command: 'list_requests',
  ListObjectVersionsCommand: 'list_requests',
};

const totals = new WeakMap<S3Client, S3Reads>();

/**
 * Counts one client's S3 reads as they go over the wire: one per HTTP attempt (the middleware sits in the
 * deserialize step, after the SDK's retries, so a retried GET counts twice, as S3 bills it) and the bytes
 * each GetObject response announces (Content-Length). Installed once per client.
 */
function totalsOf(client: S3Client): S3Reads {
  const existing = totals.get(client);
  if (existing) return existing;
  const total = { ...NO_S3_READS };
  totals.set(client, total);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const kind = COUNTED[context.commandName ?? ''];
      if (!kind) return next(args);
      total[kind] += 1;
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
      const length = Number(headers['content-length']);
      if (kind === 'get_requests' && Number.isFinite(length)) total.bytes += length;
      return result;
    },
    { step: 'deserialize', name: 'standbyS3ReadMeter', priority: 'high' },
  );
  return total;
}

/** Starts counting a client's S3 reads; the function returned gives the reads made since. */
export function meterS3Reads(client: S3Client): () => S3Reads {
  const total = totalsOf(client);
  const start = { ...total };
  return () => ({
    get_requests: total.get_requests - start.get_requests,
    head_requests: total.head_requests - start.head_requests,
    list_requests: total.list_requests - start.list_requests,
    bytes: total.bytes - start.bytes,
  });
}
