import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ensureBucket } from '../src/local/demo-publisher.js';
import { mapWithConcurrency } from '../src/util/concurrency.js';

/** A healthy publisher with the given pairs (fresh pointers, markers present). */
export async function seedPublisher(s3: S3Client, bucket: string, prefix: string, pairs: string[]) {
  await ensureBucket(s3, bucket);
  const pointer = Buffer.from(JSON.stringify({ run_id: 'bench-run', ended_at: new Date().toISOString() }));
  const put = (key: string, body: Buffer) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}`, Body: body }));
  await put('state/last_success.json', pointer);
  await mapWithConcurrency(pairs, 16, async (pair) => {
    await put(`state/${pair}/last_success.json`, pointer);
    await put(`latest/${pair}/_SUCCESS`, Buffer.alloc(0));
  });
}
