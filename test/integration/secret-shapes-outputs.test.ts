import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { runCli } from '../../src/cli/main.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { SHAPES } from '../helpers/secret-shapes.js';

/**
 * The sanitiser's table of secret shapes (test/helpers/secret-shapes.ts) through two of its users end to
 * end: `standby logs redact` over a saved CloudWatch file, and a receipt written to S3 (read back raw).
 * Issue 19.10: Slack webhooks, k3s tokens, `GH_ghs_…`, `X-Amz-Signature%3D…`, quoted
 * `"AWS_SECRET_ACCESS_KEY=…"` and `"token: …"` inside JSON in prose leaked through both.
 */
useEmulator();

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'standby-shapes-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const quiet: Terminal = { color: false, out: () => {}, err: () => {} };
/** How a secret appears inside serialised JSON (a `"` or `\` in it is escaped). */
const inJson = (text: string) => JSON.stringify(text).slice(1, -1);

describe('standby logs redact removes every secret shape from log messages', () => {
  for (const [index, shape] of SHAPES.entries()) {
    it(shape.name, async () => {
      const source = join(work, `events-${index}.json`);
      const out = join(work, `events-${index}.redacted.json`);
      const events = { events: [{ timestamp: 1, message: shape.text }], nextForwardToken: 'f/1' };
      await writeFile(source, JSON.stringify(events));
      expect(await runCli(['logs', 'redact', source, '--out', out], quiet)).toBe(0);
      const written = await readFile(out, 'utf8');
      for (const secret of shape.secrets) expect(written).not.toContain(inJson(secret));
      const message = JSON.parse(written).events[0].message as string;
      for (const kept of shape.keep) expect(message).toContain(kept);
    });
  }
});

describe('a receipt written to S3 holds none of the secret shapes', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const aws = new AwsClients();
      await ensureBucket(aws.s3, 'receipts');
      const store = new S3ReceiptStore(aws.s3, {
        bucket: 'receipts',
        prefix: 'standby/receipts',
        executionId: 'drill-19',
      });
      const written = await store.write(
        receiptDraft({
          execution_id: 'drill-19',
          phase: 'notify',
          status: 'failed',
          outputs: { detail: shape.text },
          error: { message: `notify failed: ${shape.text}`, reason: 'notify_failed' },
        }),
      );
      const object = await aws.s3.send(new GetObjectCommand({ Bucket: 'receipts', Key: written.key }));
      const raw = (await object.Body?.transformToString()) ?? '';
      for (const secret of shape.secrets) expect(raw).not.toContain(inJson(secret));
      const receipt = JSON.parse(raw);
      for (const kept of shape.keep) {
        expect(receipt.outputs.detail).toContain(kept);
        expect(receipt.error.message).toContain(kept);
      }
    });
  }
});
