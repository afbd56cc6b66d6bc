import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { seedBackup } from './backup.js';
import { seedDrill as seedDrillReceipts } from './drill-receipts.js';
import { MANIFESTS, restore, seed } from './runner-backup.js';
import { RunnerSandbox } from './runner-sandbox.js';

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

/** A drill's receipts as drill.yml writes them (test/helpers/drill-receipts.ts), its restore carrying `report`. */
export function seedDrill(runId: string, daysAgo: number, report: unknown, failed?: string) {
  return seedDrillReceipts(runId, daysAgo, {
    status: failed ? { [failed]: 'failed' } : {},
    outputs: { restore: { report } },
  });
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
