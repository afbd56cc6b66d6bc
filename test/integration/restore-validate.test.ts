import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { restore } from '../../src/phases/restore/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { validate as validatePhase } from '../../src/phases/validate/index.js';
import type { RestoreReport } from '../../src/runner/restore-report.js';
import type { ValidateReport } from '../../src/runner/validate-report.js';
import { useEmulator } from '../helpers/emulator.js';
import { fakeRunner as startFakeRunner } from '../helpers/fake-runner.js';
import { seed, URI } from '../helpers/runner-backup.js';
import { EKS_EXECUTION, LOADER_IMAGE, RunnerSandbox } from '../helpers/runner-sandbox.js';
import type { startSsmProxy } from '../helpers/ssm-proxy.js';
import { PREFIX, runBackup, runPrecheck, sourceTree } from '../helpers/standby-backup.js';

const emulator = useEmulator();
let proxy: Awaited<ReturnType<typeof startSsmProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const INSTANCE = 'i-0123456789abcdef0';
const DIGEST_REF = `ghcr.io/example/jobintel@sha256:${'b'.repeat(64)}`;

/** The runner: restore.sh/validate.sh run for real in the sandbox behind the SSM proxy (test/helpers/fake-runner.ts). */
async function fakeRunner(sandbox: RunnerSandbox, options: Parameters<typeof startFakeRunner>[2] = {}) {
  proxy = await startFakeRunner(emulator.endpoint, sandbox, options);
}

afterEach(() => {
  delete process.env.AWS_ENDPOINT_URL_SSM;
});

/** SSM polling shortened for the emulator (the phase's own code path, through the phase context). */
const fast = { poll: { commandFirstDelayMs: 50, commandMaxDelayMs: 200 } };

async function validate(inputs: Record<string, string>) {
  const io = new MemoryIO({
    'execution-id': 'drill-1',
    'instance-id': INSTANCE,
    namespace: 'jobintel',
    cronjobs: '["jobintel-daily","jobintel-hourly"]',
    'ready-timeout-seconds': '0',
    ...inputs,
  });
  const { result } = await runPhase(validatePhase, io, { aws: new AwsClients(), env: {}, ...fast });
  return { ...result, io, report: result.outputs.report as ValidateReport | undefined };
}

describe('validate over SSM on the emulator (runner output supplied by the test proxy)', () => {
  it('passes, after SendCommand → InvocationDoesNotExist → Success, with the job run id and a summary', async () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    sandbox.write('job-status.json', {
      metadata: { uid: '6a7b8c9d-0000-4000-8000-000000000001' },
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    });
    sandbox.write('job-logs.txt', 'jobintel: done\n');
    await fakeRunner(sandbox, { notYet: 2 });
    const result = await validate({
      'run-job': 'true',
      'job-cronjob': 'jobintel-daily',
      'image-ref': DIGEST_REF,
      'job-timeout-seconds': '10',
    });
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({
      result: 'passed',
      'job-run-id': '6a7b8c9d-0000-4000-8000-000000000001',
    });
    expect(proxy?.calls.filter((c) => c === 'GetCommandInvocation').length).toBeGreaterThanOrEqual(3);
    expect(result.summary).toContain('ip-10-0-1-23 Ready');
    expect(result.summary).toContain('jobintel: done');
    expect(
      sandbox.json<{ spec: { template: { spec: { containers: { image: string }[] } } } }>('created-job.json')
        .spec.template.spec.containers[0]?.image,
    ).toBe(DIGEST_REF);
  });

  it('fails on a NotReady node, with the node in the summary', async () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    sandbox.edit<{
      items: { status: { conditions: { type: string; status: string; reason?: string }[] } }[];
    }>('nodes.json', (nodes) => {
      const ready = nodes.items[0]?.status.conditions.find((c) => c.type === 'Ready');
      if (ready) Object.assign(ready, { status: 'False', reason: 'KubeletNotReady' });
    });
    await fakeRunner(sandbox);
    const result = await validate({});
    expect(result.status).toBe('failed');
    expect(result.outputs.result).toBe('failed');
    expect(result.failure?.message).toContain('node ip-10-0-1-23 not Ready (KubeletNotReady)');
    expect(result.summary).toContain('NotReady (KubeletNotReady)');
  });

  it('fails closed on a truncated report', async () => {
    await fakeRunner(new RunnerSandbox({ cluster: 'restored' }), {
      stdout: (real) => real.slice(0, real.length - 30),
    });
    const result = await validate({});
    expect(result.failure).toMatchObject({ reason: 'report_not_json' });
  });

  it('fails closed on output that is not JSON at all', async () => {
    await fakeRunner(new RunnerSandbox({ cluster: 'restored' }), { stdout: () => 'Segmentation fault\n' });
    const result = await validate({});
    expect(result.failure?.reason).toBe('report_not_json');
    expect(result.outputs.result).toBe('failed');
  });

  it('fails closed when moto-style empty output arrives (no report)', async () => {
    await fakeRunner(new RunnerSandbox({ cluster: 'restored' }), { stdout: () => '' });
    expect((await validate({})).failure?.reason).toBe('report_not_json');
  });

  it('refuses a tagged image before anything is sent', async () => {
    await fakeRunner(new RunnerSandbox({ cluster: 'restored' }));
    const result = await validate({
      'run-job': 'true',
      'job-cronjob': 'jobintel-daily',
      'image-ref': 'ghcr.io/example/jobintel:latest',
    });
    expect(result.failure?.reason).toBe('invalid_input');
    expect(proxy?.calls).toEqual([]);
  });
});

describe('restore over SSM on the emulator (runner output supplied by the test proxy)', () => {
  it('reports the state volume, objects applied and suspended CronJobs from a real restore.sh run, and fails closed on a failed one', async () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    await fakeRunner(sandbox, { notYet: 1 });
    const inputs = {
      'execution-id': 'drill-1',
      'instance-id': INSTANCE,
      'backup-uri': URI,
      namespace: 'jobintel',
      'state-claim': 'jobintel-state',
      'wait-seconds': '1',
      'timeout-seconds': '60',
    };
    const ok = await runPhase(restore, new MemoryIO(inputs), {
      ...fast,
      aws: new AwsClients(),
      env: {},
    });
    expect(ok.result.failure).toBeUndefined();
    expect(ok.result.outputs).toMatchObject({
      'files-restored': 2,
      'manifests-applied': 5,
      'state-volume': 'standby-state-jobintel-jobintel-state',
      'control-plane-applied': false,
      cronjobs: ['jobintel-daily', 'jobintel-hourly'],
    });
    // What the runner read for the drill's cost: three small objects, each a HEAD and one GET.
    const folder = sandbox.path('s3/backups/batch/backups/bk-20261122');
    const bytes = ['metadata.json', 'state.tar.zst', 'manifests.tar.zst'].reduce(
      (sum, name) => sum + statSync(path.join(folder, name)).size,
      0,
    );
    expect(ok.result.outputs['s3-reads']).toEqual({
      get_requests: 3,
      head_requests: 3,
      list_requests: 0,
      bytes,
    });
    // The default restore-path, /var/lib/standby/volumes/<namespace>/<claim>, on the runner.
    expect(
      readFileSync(
        sandbox.path('var-lib-standby', 'volumes', 'jobintel', 'jobintel-state', 'db', 'jobs.sqlite'),
        'utf8',
      ),
    ).toBe('sqlite bytes');
    expect(ok.result.summary).toContain('claim jobintel-state Bound');

    sandbox.write('s3/backups/batch/backups/bk-20261122/state.tar.zst', 'not the archive');
    const bad = await runPhase(restore, new MemoryIO(inputs), {
      ...fast,
      aws: new AwsClients(),
      env: {},
    });
    expect(bad.result.failure?.reason).toBe('restore_failed');
    expect(bad.result.failure?.message).toMatch(/^verify: state.tar.zst is 15 bytes, expected \d+$/);
  });

  it('target-kind eks: sends the eks environment, and restore.sh loads the state into a gp3 claim through its loader pod', async () => {
    const sandbox = new RunnerSandbox({ target: 'eks' });
    seed(sandbox);
    await fakeRunner(sandbox);
    const inputs = {
      'execution-id': EKS_EXECUTION,
      'target-kind': 'eks',
      'instance-id': INSTANCE,
      'backup-uri': URI,
      namespace: 'jobintel',
      'state-claim': 'jobintel-state',
      'wait-seconds': '1',
      'timeout-seconds': '60',
    };
    const refused = await runPhase(restore, new MemoryIO(inputs), {
      ...fast,
      aws: new AwsClients(),
      env: {},
    });
    expect(refused.result.failure).toMatchObject({
      reason: 'invalid_input',
      message: /^loader-image is required/,
    });
    expect(proxy?.calls).toEqual([]);

    const ok = await runPhase(restore, new MemoryIO({ ...inputs, 'loader-image': LOADER_IMAGE }), {
      ...fast,
      aws: new AwsClients(),
      env: {},
    });
    expect(ok.result.failure).toBeUndefined();
    // The environment as SendCommand carried it (each value base64, src/aws/ssm-script.ts).
    const sent = readFileSync(sandbox.path('ssm-commands.sh'), 'utf8');
    const carried = (name: string, value: string) =>
      sent.includes(`${name}="$(printf '%s' '${Buffer.from(value).toString('base64')}' | base64 -d)"`);
    expect([
      carried('STANDBY_KUBECTL', 'kubectl --kubeconfig=/var/lib/standby/kubeconfig'),
      carried('STANDBY_TARGET_KIND', 'eks'),
      carried('STANDBY_STORAGE_CLASS', 'gp3'),
      carried('STANDBY_LOADER_IMAGE', LOADER_IMAGE),
    ]).toEqual([true, true, true, true]);
    const report = ok.result.outputs.report as RestoreReport;
    expect(report).toMatchObject({
      target_kind: 'eks',
      state: { storage_class: 'gp3', bound: true, path: null, loader: { deleted: true } },
      pinning: { workloads: ['CronJob/jobintel-daily', 'CronJob/jobintel-hourly'] },
    });
    expect(ok.result.outputs['state-volume']).toMatch(/^pvc-/);
    expect(ok.result.summary).toContain('Pinned to the execution’s node group');

    // validate on the same cluster: the Job from the pinned CronJob runs on the node group; what the
    // namespace-scoped access cannot read is reported as such and accepted because the target is eks (on
    // k3s the same report fails: test/unit/validate-not-permitted.test.ts).
    sandbox.write('job-status.json', {
      metadata: { uid: '6a7b8c9d-0000-4000-8000-000000000002' },
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    });
    sandbox.write('job-logs.txt', 'jobintel: done\n');
    const job = {
      'execution-id': EKS_EXECUTION,
      'run-job': 'true',
      'job-cronjob': 'jobintel-daily',
      'image-ref': DIGEST_REF,
      'job-timeout-seconds': '10',
      'state-claim': 'jobintel-state',
    };
    const onEks = await validate({ ...job, 'target-kind': 'eks' });
    expect(onEks.failure).toBeUndefined();
    expect(onEks.report?.not_permitted).toEqual(['nodes', 'kube-system pods', 'namespace']);
  });

  it('refuses a restore-path outside /var/lib/standby before anything is sent', async () => {
    await fakeRunner(new RunnerSandbox());
    const io = new MemoryIO({
      'execution-id': 'drill-1',
      'instance-id': INSTANCE,
      'backup-uri': URI,
      namespace: 'jobintel',
      'state-claim': 'jobintel-state',
      'restore-path': '/etc/standby',
    });
    const { result } = await runPhase(restore, io, { aws: new AwsClients(), env: {}, ...fast });
    expect(result.failure?.reason).toBe('invalid_input');
    expect(result.failure?.message).toContain('must be inside /var/lib/standby/');
    expect(proxy?.calls).toEqual([]);
  });
});

describe("restore follows restore-precheck's recorded choice (one contract for which backup is restored)", () => {
  /** Copies every object under the backups prefix from the emulator into the runner's stub S3. */
  async function copyToRunner(sandbox: RunnerSandbox) {
    const s3 = new AwsClients().s3;
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: 'backups', Prefix: 'batch/backups/' }));
    for (const object of listing.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'backups', Key: object.Key }));
      sandbox.write(`s3/backups/${object.Key}`, Buffer.from((await got.Body?.transformToByteArray()) ?? []));
    }
  }

  it('restores the backup precheck proved even when a newer one appears in between, and refuses to restore another', async () => {
    const aws = new AwsClients();
    await ensureBucket(aws.s3, 'backups');
    await ensureBucket(aws.s3, 'receipts');
    const older = sourceTree({ 'db/jobs.sqlite': 'the checked state' });
    const made = await runBackup({
      'state-dir': older.stateDir,
      'manifests-dir': older.manifestsDir,
      'backup-id': 'bk-checked',
    });
    expect(made.failure).toBeUndefined();
    const receipts = { 'execution-id': 'drill-77', 'receipt-bucket': 'receipts' };
    const checked = await runPrecheck(receipts, new Date('2026-11-22T02:00:00Z'));
    expect(checked.outputs['backup-uri']).toBe('s3://backups/batch/backups/bk-checked');

    // A newer backup lands between precheck and restore: it was never checked.
    const newer = sourceTree({ 'db/jobs.sqlite': 'unchecked state' });
    const later = await runBackup(
      { 'state-dir': newer.stateDir, 'manifests-dir': newer.manifestsDir, 'backup-id': 'bk-newer' },
      new Date('2026-11-22T02:30:00Z'),
    );
    expect(later.failure).toBeUndefined();

    const sandbox = new RunnerSandbox();
    await copyToRunner(sandbox);
    await fakeRunner(sandbox);
    const inputs = {
      ...receipts,
      'instance-id': INSTANCE,
      'backup-uri': PREFIX,
      namespace: 'jobintel',
      'state-claim': 'jobintel-state',
      'wait-seconds': '1',
      'timeout-seconds': '60',
    };
    const refused = await runPhase(
      restore,
      new MemoryIO({ ...inputs, 'backup-uri': 's3://backups/batch/backups/bk-newer' }),
      { ...fast, aws, env: {} },
    );
    expect(refused.result.failure?.reason).toBe('invalid_input');
    expect(refused.result.failure?.message).toContain(
      'is not the backup restore-precheck checked (s3://backups/batch/backups/bk-checked)',
    );
    expect(proxy?.calls).toEqual([]);

    const ok = await runPhase(restore, new MemoryIO(inputs), { ...fast, aws, env: {} });
    expect(ok.result.failure).toBeUndefined();
    expect(ok.result.outputs).toMatchObject({
      'backup-uri': 's3://backups/batch/backups/bk-checked',
      'backup-source': 'restore-precheck',
    });
    expect(ok.receipt?.receipt?.outputs['backup-uri']).toBe(checked.outputs['backup-uri']);
    expect(sandbox.lines('aws.log').join('\n')).not.toContain('bk-newer');
    const volume = sandbox.path('var-lib-standby', 'volumes', 'jobintel', 'jobintel-state');
    expect(readFileSync(path.join(volume, 'db', 'jobs.sqlite'), 'utf8')).toBe('the checked state');
  });

  it('refuses to restore without a successful precheck receipt in the execution', async () => {
    const aws = new AwsClients();
    await ensureBucket(aws.s3, 'receipts');
    await fakeRunner(new RunnerSandbox());
    const io = new MemoryIO({
      'execution-id': 'drill-78',
      'receipt-bucket': 'receipts',
      'instance-id': INSTANCE,
      'backup-uri': URI,
      namespace: 'jobintel',
      'state-claim': 'jobintel-state',
    });
    const { result } = await runPhase(restore, io, { ...fast, aws, env: {} });
    expect(result.failure?.reason).toBe('invalid_input');
    expect(result.failure?.message).toContain('no restore-precheck receipt naming a backup');
    expect(proxy?.calls).toEqual([]);
  });
});
