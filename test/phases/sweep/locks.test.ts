import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { clearLock, type LockStore, readLocks } from '../../../src/phases/sweep/locks.js';
import { useEmulator } from '../../helpers/emulator.js';
import { createStateBackend } from '../../helpers/fake-terraform.js';

useEmulator();
const BUCKET = 'acme-standby-tfstate';
const TABLE = 'standby-terraform-locks';
const KEY = 'standby/runners/drill-7.tfstate';
let store: LockStore;
beforeEach(async () => {
  await createStateBackend(BUCKET, TABLE);
  store = {
    s3: new S3Client({ region: 'us-east-1', forcePathStyle: true }),
    dynamo: new DynamoDBClient({ region: 'us-east-1' }),
    bucket: BUCKET,
    table: TABLE,
  };
});

const info = (id: string, created: string) =>
  JSON.stringify({
    ID: id,
    Operation: 'OperationTypeApply',
    Who: 'runner@fv-az',
    Created: created,
    Path: '',
  });

async function takeLock(id: string, created: string) {
  await store.dynamo.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: { LockID: { S: `${BUCKET}/${KEY}` }, Info: { S: info(id, created) } },
    }),
  );
  await store.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `${KEY}.tflock`, Body: info(id, created) }),
  );
}
async function heldNow() {
  const item = await store.dynamo.send(
    new GetItemCommand({
      TableName: TABLE,
      Key: { LockID: { S: `${BUCKET}/${KEY}` } },
      ConsistentRead: true,
    }),
  );
  let file: string | undefined;
  try {
    const answer = await store.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${KEY}.tflock` }));
    file = await answer.Body?.transformToString();
  } catch {
    file = undefined;
  }
  return { item: item.Item?.Info?.S, file };
}

describe('clearing a lock is conditional on the exact record read (emulator, real wire protocol)', () => {
  it('clears both records when they are still the ones read', async () => {
    await takeLock('old-1', '2026-11-28T08:00:00Z');
    const records = await readLocks(store, KEY);
    expect(records.map((r) => [r.store, r.info.ID])).toEqual([
      ['dynamodb', 'old-1'],
      ['s3', 'old-1'],
    ]);
    for (const record of records) expect(await clearLock(store, record)).toBe('cleared');
    expect(await heldNow()).toEqual({ item: undefined, file: undefined });
  });

  it('19.9: a lock re-taken between the read and the delete is never deleted (DynamoDB condition, S3 If-Match)', async () => {
    await takeLock('old-1', '2026-11-28T08:00:00Z');
    const records = await readLocks(store, KEY);
    // Meanwhile the stale holder's lock was released and a new run took the state.
    await takeLock('new-2', '2026-11-28T11:59:00Z');
    for (const record of records) expect(await clearLock(store, record)).toBe('changed');
    const held = await heldNow();
    expect(JSON.parse(held.item ?? '{}').ID).toBe('new-2');
    expect(JSON.parse(held.file ?? '{}').ID).toBe('new-2');
  });

  it('19.9: a record released meanwhile is reported gone (S3) or changed (DynamoDB), and nothing else is touched', async () => {
    await takeLock('old-1', '2026-11-28T08:00:00Z');
    const [item, file] = await readLocks(store, KEY);
    for (const record of await readLocks(store, KEY)) await clearLock(store, record);
    expect(await clearLock(store, item as never)).toBe('changed');
    expect(await clearLock(store, file as never)).toBe('gone');
  });
});
