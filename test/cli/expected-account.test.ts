import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients, clientConfig } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { EMULATOR_ACCOUNT, useEmulator } from '../helpers/emulator.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { startGitHubStandIn } from '../helpers/github-api.js';
import { captureTerminal } from '../helpers/terminal.js';

/**
 * Issue 20.14 (CLI half): the read-only commands check the caller's account like the phases do
 * (src/aws/account-guard.ts). On af2fa7e they had no --expected-account-id and read whatever account the
 * credentials belonged to. Every AWS request goes through a recording proxy in front of moto, whose STS
 * answers account 123456789012.
 */
const emulator = useEmulator();
const WRONG = '111111111111';
const REPO = '/repos/octo-org/octo-repo';
const RUN = 30433642;

let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let api: Awaited<ReturnType<typeof startGitHubStandIn>>;
beforeEach(async () => {
  proxy = await startFaultProxy(emulator.endpoint, []);
  api = await startGitHubStandIn({
    [`GET ${REPO}/actions/runs/${RUN}`]: [
      {
        status: 200,
        body: {
          id: RUN,
          name: 'drill',
          event: 'workflow_dispatch',
          status: 'completed',
          conclusion: 'success',
          path: '.github/workflows/drill.yml',
          html_url: `https://github.com/octo-org/octo-repo/actions/runs/${RUN}`,
          created_at: '2026-11-22T01:00:00Z',
          updated_at: '2026-11-22T01:20:00Z',
          run_started_at: '2026-11-22T01:00:05Z',
        },
      },
    ],
    [`GET ${REPO}/actions/runs/${RUN}/jobs`]: [{ status: 200, body: { total_count: 0, jobs: [] } }],
    [`GET ${REPO}/actions/runs/${RUN}/pending_deployments`]: [{ status: 200, body: [] }],
  });
  process.env.GITHUB_API_URL = api.url;
  process.env.GH_TOKEN = 'ghp_operatorownreviewertoken0123456789ab';
  await ensureBucket(new AwsClients().s3, 'receipts');
});
afterEach(async () => {
  await proxy.close();
  await api.close();
  delete process.env.GITHUB_API_URL;
  delete process.env.GH_TOKEN;
});

async function cli(args: string[]) {
  const term = captureTerminal();
  const code = await runCli([...args, '--endpoint-url', proxy.endpoint], term);
  return { code, out: term.stdout.join('\n'), err: term.stderr.join('\n') };
}

/** A request signed for STS (GetCallerIdentity), the only request a refused command may make. */
const isSts = (r: { service?: string }) => r.service === 'sts';

const out = () => path.join(mkdtempSync(path.join(tmpdir(), 'standby-account-')), 'bundle');

const COMMANDS: [string, () => string[]][] = [
  [
    'status',
    () => ['status', '--repo', 'octo-org/octo-repo', '--run', String(RUN), '--receipt-bucket', 'receipts'],
  ],
  ['logs export', () => ['logs', 'export', '--log-group', '/standby/runner']],
  [
    'evidence collect',
    () => [
      'evidence',
      'collect',
      '--execution-id',
      'drill-1',
      '--receipt-bucket',
      'receipts',
      '--out',
      out(),
    ],
  ],
  [
    'evidence plan',
    () => ['evidence', 'plan', '--execution-id', 'drill-1', '--receipt-bucket', 'receipts', '--out', out()],
  ],
];

describe.each(COMMANDS)('%s --expected-account-id', (_name, args) => {
  it('refuses another account with a clear error, exit 1, nothing read (AWS or GitHub)', async () => {
    const argv = args();
    const { code, out: stdout, err } = await cli([...argv, '--expected-account-id', WRONG]);
    expect(code).toBe(EXIT.failed);
    expect(err).toContain(
      `refusing to run: credentials belong to AWS account ${EMULATOR_ACCOUNT}, but --expected-account-id is ${WRONG}`,
    );
    expect(stdout).toBe('');
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.every((r) => r.service)).toBe(true);
    expect(proxy.seen.filter((r) => !isSts(r))).toEqual([]);
    expect(api.requests).toEqual([]);
    const outDir = argv.at(-1) as string;
    if (argv.includes('--out')) expect(existsSync(outDir)).toBe(false);
  });

  it('a malformed account id is a usage error (exit 2) before any request', async () => {
    const { code, err } = await cli([...args(), '--expected-account-id', '12345']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain("--expected-account-id: '12345' is not a 12-digit AWS account id");
    expect(proxy.seen).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it('the right account reads on', async () => {
    const { err } = await cli([...args(), '--expected-account-id', EMULATOR_ACCOUNT]);
    expect(err).not.toContain('refusing to run');
    expect(proxy.seen.filter(isSts)).toHaveLength(1);
    expect(proxy.seen.filter((r) => !isSts(r)).length).toBeGreaterThan(0);
  });
});

it('logs export with the right account exports the group (exit 0)', async () => {
  const logs = new CloudWatchLogsClient(clientConfig());
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/standby/runner' }));
  const { code, out: stdout } = await cli([
    'logs',
    'export',
    '--log-group',
    '/standby/runner',
    '--expected-account-id',
    EMULATOR_ACCOUNT,
  ]);
  expect(code).toBe(EXIT.ok);
  expect(JSON.parse(stdout)).toMatchObject({ eventCount: 0 });
});

it('status with the right account reads the run and its receipts (exit 0)', async () => {
  const { code, out: stdout } = await cli([
    'status',
    '--repo',
    'octo-org/octo-repo',
    '--run',
    String(RUN),
    '--receipt-bucket',
    'receipts',
    '--expected-account-id',
    EMULATOR_ACCOUNT,
    '--json',
  ]);
  expect(code).toBe(EXIT.ok);
  expect(JSON.parse(stdout)).toMatchObject({ run_id: RUN, receipts: { count: 0 } });
  expect(api.requests.length).toBe(3);
});

it('without the flag nothing asks STS (as before)', async () => {
  await cli(['logs', 'export', '--log-group', '/none']);
  expect(proxy.seen.filter(isSts)).toEqual([]);
});
