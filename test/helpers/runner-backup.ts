import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from './backup.js';
import { type RunnerSandbox, sh } from './runner-sandbox.js';

/** A backup laid out in the stub S3 of a RunnerSandbox (built with GNU tar and zstd, as other producers do). */
export const URI = 's3://backups/batch/backups/bk-20261122';
export const FOLDER = 's3/backups/batch/backups/bk-20261122';

export const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jobintel\n';
const CLAIM = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: jobintel-state, namespace: jobintel}
spec: {accessModes: [ReadWriteOnce], storageClassName: gp3, resources: {requests: {storage: 2Gi}}}
`;
export const cronJob = (name: string, claim = 'jobintel-state') => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}, namespace: jobintel}
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: runner, image: 'ghcr.io/example/jobintel@sha256:${'a'.repeat(64)}', volumeMounts: [{name: state, mountPath: /data}]}]
          volumes: [{name: state, persistentVolumeClaim: {claimName: ${claim}}}]
`;
export const MANIFESTS: Record<string, string> = {
  '10-cronjobs.yaml': `${cronJob('jobintel-daily')}---\n${cronJob('jobintel-hourly')}`,
  '00-namespace.yaml': NAMESPACE,
  'storage/claim.yaml': CLAIM,
};

/** Builds state.tar.zst / manifests.tar.zst in the stub S3 from `build` commands run in a scratch dir. */
export function seed(
  sandbox: RunnerSandbox,
  options: {
    state?: string;
    manifests?: Record<string, string>;
    flip?: boolean;
    metadata?: (m: { artifacts: Record<string, { bytes: number }>; state?: unknown }) => void;
  } = {},
) {
  const work = sandbox.path('build');
  mkdirSync(path.join(work, 'state', 'db'), { recursive: true });
  writeFileSync(path.join(work, 'state', 'db', 'jobs.sqlite'), 'sqlite bytes');
  writeFileSync(path.join(work, 'state', 'cursor.json'), '{"offset": 42}');
  for (const [name, body] of Object.entries(options.manifests ?? MANIFESTS)) {
    mkdirSync(path.dirname(path.join(work, 'manifests', name)), { recursive: true });
    writeFileSync(path.join(work, 'manifests', name), body);
  }
  sh(options.state ?? 'tar -C state -cf state.tar . && zstd -q state.tar -o state.tar.zst', work);
  sh('tar -C manifests -cf manifests.tar . && zstd -q manifests.tar -o manifests.tar.zst', work);
  const artifacts: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of ['state.tar.zst', 'manifests.tar.zst']) {
    const body = readFileSync(path.join(work, name));
    artifacts[name] = { bytes: body.length, sha256: sha256(body) };
    if (options.flip && name === 'state.tar.zst') body[body.length - 5] = (body[body.length - 5] ?? 0) ^ 1;
    sandbox.write(`${FOLDER}/${name}`, body);
  }
  const metadata = { backup_id: 'bk-20261122', created_utc: '2026-11-22T00:00:00Z', artifacts };
  options.metadata?.(metadata);
  sandbox.write(`${FOLDER}/metadata.json`, metadata);
}

export const statePath = (sandbox: RunnerSandbox) =>
  sandbox.path('var-lib-standby', 'volumes', 'jobintel-state');

export function restore(sandbox: RunnerSandbox, extra: Record<string, string> = {}) {
  return sandbox.run('restore.sh', {
    STANDBY_BACKUP_URI: URI,
    STANDBY_RESTORE_PATH: statePath(sandbox),
    STANDBY_NAMESPACE: 'jobintel',
    STANDBY_STATE_CLAIM: 'jobintel-state',
    STANDBY_WAIT_SECONDS: '1',
    ...extra,
  });
}
