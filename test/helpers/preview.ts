import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { DRILL_REQUIRED_PHASES } from '../../src/evidence/bundle.js';
import type { Receipt } from '../../src/receipts/envelope.js';
import { currentSource } from '../../src/receipts/source.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { seedBackup } from './backup.js';
import { EMULATOR_ACCOUNT } from './emulator.js';
import { actionsEnv } from './golden-bundle.js';
import { receiptDraft } from './receipt-draft.js';
import { MANIFESTS, restore, seed } from './runner-backup.js';
import { RunnerSandbox } from './runner-sandbox.js';

const DAY = 86_400_000;
export const image = (c: string) => `ghcr.io/example/web@sha256:${c.repeat(64)}`;
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

/** A previous restore's manifests, and the backup after a release: one image changed, one ConfigMap swapped. */
export const BEFORE = { ...MANIFESTS, 'web.yaml': web([image('a')]), 'legacy.yaml': configMap('legacy') };
export const AFTER = {
  ...MANIFESTS,
  'web.yaml': web([image('b'), image('c')]),
  'settings.yaml': configMap('settings'),
};

/** The report restore.sh prints for these manifests on the fake k3s (what a real restore receipt holds). */
export function restoreReport(manifests: Record<string, string>) {
  const sandbox = new RunnerSandbox();
  seed(sandbox, { manifests });
  const { report } = restore(sandbox);
  expect(report?.ok).toBe(true);
  return report;
}

/** A drill's receipts as drill.yml writes them (test/cli/triggers-enable.test.ts), its restore carrying `report`. */
export async function seedDrill(runId: string, daysAgo: number, report: unknown, failed?: string) {
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

export async function plantBackup(manifests: Record<string, string>) {
  const sandbox = new RunnerSandbox();
  seed(sandbox, { manifests });
  const folder = 's3/backups/batch/backups/bk-20261122';
  const artifacts = Object.fromEntries(
    ['state.tar.zst', 'manifests.tar.zst'].map((n) => [n, readFileSync(sandbox.path(folder, n))]),
  );
  return seedBackup(new AwsClients().s3, { artifacts });
}
