import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from '@jest/globals';
import { clientConfig } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { useEmulator } from '../helpers/emulator.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { captureTerminal } from '../helpers/terminal.js';

const emulator = useEmulator();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Secrets planted in the environment and in AWS error messages; none may appear in anything written. */
const PLANTED = {
  githubToken: 'ghp_PlantedGithubToken0123456789abcdefXY',
  oidcRequestToken: 'eyJhbGciOiJSUzI1NiJ9.eyJwbGFudGVkIjoib2lkYy1yZXF1ZXN0In0.cGxhbnRlZC1zaWduYXR1cmU',
  sessionToken: `IQoJb3JpZ2luX2VjEPlanted//////////wEaCXVzLWVhc3QtMSJHMEUCIQ${'Pl4nT'.repeat(20)}`,
  awsSecret: 'pLaNtEd/AwsSecretKey0123456789+ABCDEFGHI',
  signature: 'c0ffee'.repeat(10).slice(0, 64),
  webhookToken: 'plantedWebhookToken42',
  dbPassword: 'planted-db-pass-99',
  jsonPassword: 'planted-json-pass-77',
  legacyToken: 'deadbeefcafe0123456789abcdef0123456789ab',
};

/** What AWS error messages can carry: a presigned URL, a canonical request, credentials in URLs and JSON. */
function leakyMessage(): string {
  return [
    `Request https://standby-demo-backups.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAPLANTED000000000%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${PLANTED.sessionToken}&X-Amz-Signature=${PLANTED.signature}`,
    `canonical request: x-amz-security-token:${PLANTED.sessionToken}`,
    `caller token ${PLANTED.githubToken}, secret key ${PLANTED.awsSecret}`,
    `webhook https://hooks.example.com/x?token=${PLANTED.webhookToken}`,
    `db postgres://admin:${PLANTED.dbPassword}@db.internal:5432/x`,
    `payload {"user":"svc","password":"${PLANTED.jsonPassword}"}`,
    `legacy oauth ${PLANTED.legacyToken}`,
  ].join('; ');
}

async function filesUnder(dir: string): Promise<Array<{ name: string; text: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (name) => ({ name, text: await readFile(name, 'utf8') })));
}

async function receiptObjects(executionId: string): Promise<Array<{ name: string; text: string }>> {
  const s3 = new S3Client({ ...clientConfig(), endpoint: emulator.endpoint, forcePathStyle: true });
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: 'standby-demo-receipts', Prefix: `standby/receipts/${executionId}/` }),
  );
  return Promise.all(
    (listed.Contents ?? []).map(async ({ Key }) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: 'standby-demo-receipts', Key }));
      return {
        name: `s3://standby-demo-receipts/${Key}`,
        text: (await object.Body?.transformToString()) ?? '',
      };
    }),
  );
}

describe('standby drill --local with planted secrets', () => {
  it('writes no planted secret into any receipt, summary, log line or evidence file', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'standby-secrets-'));
    dirs.push(base);
    const evidenceDir = path.join(base, 'evidence');
    const proxy = await startFaultProxy(emulator.endpoint, [
      // check-health reads the global pointer: a 400 whose message check-health turns into a reason.
      {
        match: (r) => r.method === 'GET' && r.url.includes('/batch/state/last_success.json'),
        status: 400,
        code: 'InvalidRequest',
        message: leakyMessage(),
      },
      // restore-precheck reads metadata.json: a 403 whose message becomes the phase's error.
      {
        match: (r) => r.method === 'GET' && r.url.includes('/metadata.json'),
        status: 403,
        code: 'AccessDenied',
        message: leakyMessage(),
      },
    ]);
    const term = captureTerminal();
    const saved = { ...process.env };
    let code: number;
    try {
      Object.assign(process.env, {
        GITHUB_TOKEN: PLANTED.githubToken,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: PLANTED.oidcRequestToken,
        AWS_SESSION_TOKEN: PLANTED.sessionToken,
        STANDBY_WEBHOOK_URL: `https://hooks.example.com/x?token=${PLANTED.webhookToken}`,
      });
      code = await runCli(
        [
          'drill',
          '--local',
          '--endpoint-url',
          proxy.endpoint,
          '--execution-id',
          'local-secrets',
          '--evidence-dir',
          evidenceDir,
        ],
        term,
      );
    } finally {
      process.env = saved;
      await proxy.close();
    }

    // The faults really fired and the drill really failed on the leaky error.
    expect(code).toBe(EXIT.failed);
    expect(proxy.seen.filter((r) => r.status === 400 || r.status === 403).length).toBeGreaterThanOrEqual(2);
    const receipts = await receiptObjects('local-secrets');
    const precheck = JSON.parse(
      receipts.find((r) => r.name.endsWith('/restore-precheck.json'))?.text ?? '{}',
    );
    expect(precheck.status).toBe('failed');
    // The backups prefix holds one backup, whose metadata.json read fails: unreadable, not "too old".
    expect(precheck.error.reason).toBe('backup_unreadable');
    expect(precheck.error.message).toMatch(
      /backup_unreadable: cannot read metadata\.json: AccessDenied: Request https:\/\/standby-demo-backups/,
    );
    expect(precheck.error.message).toContain('X-Amz-Signature=[redacted]');
    expect(precheck.error.message).toContain('postgres://admin:[redacted]@db.internal:5432/x');
    const health = receipts.find((r) => r.name.endsWith('/check-health.json'))?.text ?? '';
    expect(health).toContain('token=[redacted]');

    // Every receipt in S3, every evidence file, the drill's own report (stdout) and progress (stderr).
    const written = [
      ...receipts,
      ...(await filesUnder(base)),
      { name: 'drill stdout', text: term.stdout.join('\n') },
      { name: 'drill stderr', text: term.stderr.join('\n') },
    ];
    expect(written.filter((f) => f.name.includes('/evidence/')).length).toBeGreaterThanOrEqual(4);
    const leaks = written.flatMap((file) =>
      Object.entries(PLANTED)
        .filter(([, secret]) => file.text.includes(secret) || file.text.includes(secret.slice(0, 24)))
        .map(([name]) => `${name} in ${file.name}`),
    );
    expect(leaks).toEqual([]);
  }, 120_000);
});
