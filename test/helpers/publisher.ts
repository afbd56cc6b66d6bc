import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ensureBucket } from '../../src/local/demo-publisher.js';

/** Writes a publisher layout for tests: global pointer, per-pair pointers and markers. */
export async function seedPublisher(
  s3: S3Client,
  options: {
    bucket?: string;
    prefix?: string;
    pairs: string[];
    global?: string | object | null;
    pairPointers?: Record<string, string | object | null>;
    missingMarkers?: string[];
    runId?: string;
    endedAt?: string;
  },
) {
  const bucket = options.bucket ?? 'publisher';
  const prefix = options.prefix ?? 'batch';
  const pointer = {
    run_id: options.runId ?? 'run-42',
    ended_at: options.endedAt ?? new Date(Date.now() - 3_600_000).toISOString(),
  };
  await ensureBucket(s3, bucket);
  const put = async (key: string, body: string | object | null | undefined) => {
    if (body === null) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? pointer);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}`, Body: Buffer.from(text) }));
  };
  await put('state/last_success.json', options.global === undefined ? pointer : options.global);
  for (const pair of options.pairs) {
    await put(
      `state/${pair}/last_success.json`,
      options.pairPointers?.[pair] === undefined ? pointer : options.pairPointers[pair],
    );
    if (!options.missingMarkers?.includes(pair)) await put(`latest/${pair}/_SUCCESS`, '');
  }
  return { bucket, prefix, pointer };
}
