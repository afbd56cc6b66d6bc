import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { backup } from '../../src/phases/backup/index.js';
import { backupPrune } from '../../src/phases/backup-prune/index.js';
import { restorePrecheck } from '../../src/phases/restore-precheck/index.js';
import { runPhase } from '../../src/phases/run-phase.js';

export const PREFIX = 's3://backups/batch/backups/';
export const DIGEST_IMAGE = `ghcr.io/example/jobintel@sha256:${'c'.repeat(64)}`;

/** A state directory and a manifests directory shaped like the application's (state contract: claim jobintel-state). */
export function sourceTree(state: Record<string, string> = {}): { stateDir: string; manifestsDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'standby-source-'));
  const stateDir = path.join(root, 'state');
  const manifestsDir = path.join(root, 'manifests');
  mkdirSync(path.join(stateDir, 'db'), { recursive: true });
  mkdirSync(manifestsDir);
  const files = { 'db/jobs.sqlite': 'sqlite bytes', 'cursor.json': '{"offset": 42}', ...state };
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(stateDir, name)), { recursive: true });
    writeFileSync(path.join(stateDir, name), body);
  }
  writeFileSync(
    path.join(manifestsDir, '00-namespace.yaml'),
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jobintel\n',
  );
  writeFileSync(
    path.join(manifestsDir, '10-storage.yaml'),
    [
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata: {name: jobintel-state, namespace: jobintel}',
      'spec:',
      '  accessModes: [ReadWriteOnce]',
      '  storageClassName: gp3',
      '  resources: {requests: {storage: 1Gi}}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(manifestsDir, '20-cronjobs.yaml'),
    cronJobsYaml(['jobintel-daily', 'jobintel-hourly']),
  );
  return { stateDir, manifestsDir };
}

export function cronJobsYaml(names: string[], image = DIGEST_IMAGE): string {
  return names
    .map((name) =>
      [
        'apiVersion: batch/v1',
        'kind: CronJob',
        `metadata: {name: ${name}, namespace: jobintel}`,
        'spec:',
        "  schedule: '0 3 * * *'",
        '  jobTemplate:',
        '    spec:',
        '      backoffLimit: 2',
        '      template:',
        '        spec:',
        '          restartPolicy: Never',
        '          containers:',
        `            - {name: runner, image: '${image}', volumeMounts: [{name: state, mountPath: /data}]}`,
        '          volumes:',
        '            - {name: state, persistentVolumeClaim: {claimName: jobintel-state}}',
        '',
      ].join('\n'),
    )
    .join('---\n');
}

export async function runBackup(inputs: Record<string, string>, now = new Date('2026-11-22T00:00:00Z')) {
  const io = new MemoryIO({ 'execution-id': 'backup-test', 'backup-uri': PREFIX, ...inputs });
  const { result, receipt } = await runPhase(backup, io, { aws: new AwsClients(), now: () => now, env: {} });
  return { ...result, io, receipt };
}

export async function runPrecheck(inputs: Record<string, string>, now = new Date('2026-11-22T02:00:00Z')) {
  const io = new MemoryIO({ 'execution-id': 'drill-1', 'backup-uri': PREFIX, ...inputs });
  const { result } = await runPhase(restorePrecheck, io, { aws: new AwsClients(), now: () => now, env: {} });
  return { ...result, io };
}

export async function runPrune(inputs: Record<string, string>, now: Date) {
  const io = new MemoryIO({ 'execution-id': 'prune-1', 'backup-uri': PREFIX, ...inputs });
  const { result, receipt } = await runPhase(backupPrune, io, {
    aws: new AwsClients(),
    now: () => now,
    env: {},
  });
  return { ...result, io, receipt };
}
