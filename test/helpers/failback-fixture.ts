import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type FailbackInputs, parseFailbackInputs } from '../../src/failback/inputs.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';

export const FIXTURE = {
  bucket: 'publisher',
  prefix: 'batch',
  pairs: ['acme/daily', 'acme/hourly'],
  primary: 'run-41',
  dr: 'dr-42',
  receipts: 'receipts',
  pointerKeys: [
    'batch/state/acme/daily/last_success.json',
    'batch/state/acme/hourly/last_success.json',
    'batch/state/last_success.json',
  ],
};

const RUN_FILES = { 'acme/daily/data.csv': 'a,b\n1,2\n', 'acme/hourly/data.csv': 'x\n', _SUCCESS: '' };

/**
 * A publisher after promotion: versioned bucket, both runs' objects under runs/<run_id>/, and every
 * pointer naming the DR run (each pointer written twice, so it has an earlier version too).
 */
export async function seedPromoted(
  s3: S3Client,
  options: {
    pointerRunIds?: Record<string, string>;
    drFiles?: Record<string, string>;
    primaryFiles?: Record<string, string>;
  } = {},
) {
  await ensureBucket(s3, FIXTURE.bucket);
  await ensureBucket(s3, FIXTURE.receipts);
  await s3.send(
    new PutBucketVersioningCommand({
      Bucket: FIXTURE.bucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  const put = (key: string, body: string) =>
    s3.send(new PutObjectCommand({ Bucket: FIXTURE.bucket, Key: key, Body: Buffer.from(body) }));
  for (const [file, body] of Object.entries(options.primaryFiles ?? RUN_FILES))
    await put(`batch/runs/${FIXTURE.primary}/${file}`, body);
  for (const [file, body] of Object.entries(options.drFiles ?? RUN_FILES))
    await put(`batch/runs/${FIXTURE.dr}/${file}`, body);
  for (const key of FIXTURE.pointerKeys) {
    await put(key, JSON.stringify({ run_id: FIXTURE.primary, ended_at: '2026-11-19T04:00:00Z' }));
    const runId = options.pointerRunIds?.[key] ?? FIXTURE.dr;
    await put(key, JSON.stringify({ run_id: runId, ended_at: '2026-11-20T04:00:00Z' }));
  }
}

export function failbackInputs(overrides: Record<string, string> = {}): FailbackInputs {
  const raw: Record<string, string> = {
    'publish-bucket': FIXTURE.bucket,
    'publish-prefix': FIXTURE.prefix,
    providers: FIXTURE.pairs.join(','),
    'primary-run-id': FIXTURE.primary,
    'dr-run-id': FIXTURE.dr,
    'receipt-bucket': FIXTURE.receipts,
    'execution-id': 'failback-test',
    ...overrides,
  };
  return parseFailbackInputs((name) => raw[name] ?? '');
}

/** Every version of every object under state/, with its ETag: what must not move in a dry run. */
export async function stateVersions(s3: S3Client) {
  const response = await s3.send(
    new ListObjectVersionsCommand({ Bucket: FIXTURE.bucket, Prefix: `${FIXTURE.prefix}/state/` }),
  );
  return (response.Versions ?? [])
    .map((v) => ({ key: v.Key, versionId: v.VersionId, etag: v.ETag, latest: v.IsLatest }))
    .sort((a, b) => `${a.key}${a.versionId}`.localeCompare(`${b.key}${b.versionId}`));
}

export async function readJson(s3: S3Client, bucket: string, key: string) {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await (response.Body as { transformToString(): Promise<string> }).transformToString();
  return { json: JSON.parse(text) as Record<string, unknown>, text, etag: response.ETag };
}

export async function writePointer(s3: S3Client, key: string, content: object) {
  await s3.send(
    new PutObjectCommand({ Bucket: FIXTURE.bucket, Key: key, Body: Buffer.from(JSON.stringify(content)) }),
  );
}
