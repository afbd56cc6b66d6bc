import { readFileSync } from 'node:fs';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { runCli } from '../../src/cli/main.js';
import { DRILL_REQUIRED_PHASES } from '../../src/evidence/bundle.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { diffAgainst, type PreviousRestore, type RestorePreview } from '../../src/preview/summary.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { currentSource } from '../../src/receipts/source.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { seedBackup } from '../helpers/backup.js';
import { EMULATOR_ACCOUNT, useEmulator } from '../helpers/emulator.js';
import { actionsEnv } from '../helpers/golden-bundle.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { MANIFESTS, restore, seed } from '../helpers/runner-backup.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';
import { captureTerminal } from '../helpers/terminal.js';

useEmulator();

const DAY = 86_400_000;
const image = (c: string) => `ghcr.io/example/web@sha256:${c.repeat(64)}`;
const web = (images: string[]) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: jobintel}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [${images.map((i, n) => `{name: c${n}, image: '${i}'}`).join(', ')}]
`;
const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: jobintel}\ndata: {a: '1'}\n`;

const BEFORE = { ...MANIFESTS, 'web.yaml': web([image('a')]), 'legacy.yaml': configMap('legacy') };
const AFTER = {
  ...MANIFESTS,
  'web.yaml': web([image('b'), image('c')]),
  'settings.yaml': configMap('settings'),
};

beforeEach(async () => {
  const s3 = new AwsClients().s3;
  await ensureBucket(s3, 'receipts');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: 'receipts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
});

/** The report restore.sh prints for these manifests on the fake k3s (what a real restore receipt holds). */
function restoreReport(manifests: Record<string, string>) {
  const sandbox = new RunnerSandbox();
  seed(sandbox, { manifests });
  const { report } = restore(sandbox);
  expect(report?.ok).toBe(true);
  return report;
}

/** A drill's receipts as drill.yml writes them (test/cli/triggers-enable.test.ts), its restore carrying `report`. */
async function seedDrill(runId: string, daysAgo: number, report: unknown, failed?: string) {
  const executionId = `drill-${runId}`;
  const env = {
    ...actionsEnv({ runId, workflow: 'octo/standby/.github/workflows/drill.yml@refs/heads/main' }),
    GITHUB_REPOSITORY: 'octo/standby',
  };
  const store = new S3ReceiptStore(new AwsClients().s3, {
    bucket: 'receipts',
    prefix: 'standby/receipts',
    executionId,
  });
  let t = Date.now() - daysAgo * DAY - DRILL_REQUIRED_PHASES.length * 60_000;
  for (const phase of DRILL_REQUIRED_PHASES) {
    const started = new Date(t);
    t += 60_000;
    const status: Receipt['status'] = phase === failed ? 'failed' : 'ok';
    await store.write(
      receiptDraft({
        execution_id: executionId,
        phase,
        status,
        started_at: started.toISOString(),
        ended_at: new Date(t).toISOString(),
        duration_ms: 60_000,
        source: currentSource(env),
        aws: { account_id: EMULATOR_ACCOUNT, region: 'us-east-1', endpoint: null },
        outputs: phase === 'restore' ? { report } : {},
        error: status === 'ok' ? null : { message: `${phase} failed`, reason: 'error' },
      }),
    );
  }
}

async function plantBackup(manifests: Record<string, string>) {
  const sandbox = new RunnerSandbox();
  seed(sandbox, { manifests });
  const folder = 's3/backups/batch/backups/bk-20261122';
  const artifacts = Object.fromEntries(
    ['state.tar.zst', 'manifests.tar.zst'].map((n) => [n, readFileSync(sandbox.path(folder, n))]),
  );
  return seedBackup(new AwsClients().s3, { artifacts });
}

describe('restore preview diff against the last verified restore (issue 23.4)', () => {
  it('finds the newest verified drill (skipping a newer failed one) and lists added, removed, changed images', async () => {
    await seedDrill('4001', 3, restoreReport(BEFORE));
    // Newer, but its validate failed: not verified, so not "the last verified restore".
    await seedDrill('4242', 1, restoreReport(AFTER), 'validate');
    const backup = await plantBackup(AFTER);
    const term = captureTerminal();
    const code = await runCli(
      [
        'restore-preview',
        '--backup-uri',
        backup.uri,
        '--namespace',
        'jobintel',
        '--state-claim',
        'jobintel-state',
        '--receipt-bucket',
        'receipts',
        '--json',
      ],
      term,
    );
    expect(code).toBe(0);
    const result = JSON.parse(term.stdout.join('\n')) as RestorePreview;
    expect(result.diff).toEqual({
      against: 'drill-4001',
      added: ['ConfigMap/jobintel/settings'],
      removed: ['ConfigMap/jobintel/legacy'],
      changed_images: [
        { object: 'Deployment/jobintel/web', before: [image('a')], after: [image('b'), image('c')] },
      ],
      notes: [],
    });
    expect(term.stderr.join('\n')).toContain('drill-4242: not verified');
  });

  it('the reviewer-facing text names each change', async () => {
    await seedDrill('4001', 3, restoreReport(BEFORE));
    const backup = await plantBackup(AFTER);
    const term = captureTerminal();
    await runCli(
      [
        'restore-preview',
        '--backup-uri',
        backup.uri,
        '--namespace',
        'jobintel',
        '--state-claim',
        'jobintel-state',
        '--receipt-bucket',
        'receipts',
      ],
      term,
    );
    const text = term.stdout.join('\n');
    expect(text).toContain('Against the last verified restore');
    expect(text).toMatch(/added: .*ConfigMap\/jobintel\/settings/);
    expect(text).toMatch(/removed: .*ConfigMap\/jobintel\/legacy/);
    expect(text).toContain(`Deployment/jobintel/web`);
  });
});

describe('diffAgainst (pure)', () => {
  const plan = {
    claimants: ['Deployment/web'],
    state: null,
    objects: [
      {
        id: 'Deployment/jobintel/web',
        kind: 'Deployment',
        namespace: 'jobintel',
        name: 'web',
        images: ['x@sha256:1'],
        held: { replicas: 1 },
      },
    ],
  };
  const previous: PreviousRestore = {
    executionId: 'drill-1',
    applied: ['Deployment/jobintel/web', 'Secret/jobintel/old'],
    appliedTruncated: false,
    images: [{ object: 'Deployment/jobintel/web', images: ['x@sha256:1'] }],
    imagesRecorded: true,
  };

  it('same images are no change; a truncated previous list makes removals unknown, not empty', () => {
    expect(diffAgainst(plan, previous)).toMatchObject({
      added: [],
      removed: ['Secret/jobintel/old'],
      changed_images: [],
    });
    const truncated = diffAgainst(plan, { ...previous, appliedTruncated: true });
    expect(truncated.removed).toBeNull();
    expect(truncated.notes[0]).toContain('removals unknown');
  });

  it('a report from before images were recorded says so instead of claiming nothing changed', () => {
    const older = diffAgainst(plan, { ...previous, images: [], imagesRecorded: false });
    expect(older.changed_images).toEqual([]);
    expect(older.notes).toEqual(["drill-1's restore report records no images (an older restore.sh)"]);
  });
});
