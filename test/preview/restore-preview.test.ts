import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { runCli } from '../../src/cli/main.js';
import type { RestorePreview } from '../../src/preview/summary.js';
import { loadRunnerScript } from '../../src/runner/scripts.js';
import { seedBackup } from '../helpers/backup.js';
import { useEmulator } from '../helpers/emulator.js';
import { MANIFESTS, restore, seed } from '../helpers/runner-backup.js';
import { EKS_EXECUTION, RunnerSandbox } from '../helpers/runner-sandbox.js';
import { captureTerminal } from '../helpers/terminal.js';

useEmulator();

const pinned = `ghcr.io/example/jobintel@sha256:${'b'.repeat(64)}`;
/** Manifests with every shape the plan reads: multi-document YAML, a JSON List, a tag-only image. */
const PLANTED: Record<string, string> = {
  ...MANIFESTS,
  'apps/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: jobintel}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: migrate, image: 'ghcr.io/example/migrate:latest'}]
      containers: [{name: app, image: '${pinned}'}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: jobintel}
spec: {selector: {app: web}, ports: [{port: 80}]}
`,
  // Upper case sorts before lower case in byte order (restore.sh: LC_ALL=C sort -z): same rank, so the
  // order of these two ConfigMaps shows whose file order is used.
  'Zeta.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: zeta, namespace: jobintel}\n',
  'config.json': JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner', namespace: 'jobintel' } },
    ],
  }),
};

/** The same archives in the runner sandbox's stub S3 and in the emulator's S3. */
async function plant(manifests: Record<string, string>) {
  const sandbox = new RunnerSandbox();
  seed(sandbox, { manifests });
  const folder = 's3/backups/batch/backups/bk-20261122';
  const artifacts = Object.fromEntries(
    ['state.tar.zst', 'manifests.tar.zst'].map((n) => [n, readFileSync(sandbox.path(folder, n))]),
  );
  const backup = await seedBackup(new AwsClients().s3, { artifacts });
  return { sandbox, backup };
}

async function preview(uri: string, extra: string[] = []) {
  const term = captureTerminal();
  const args = ['restore-preview', '--backup-uri', uri, '--namespace', 'jobintel'];
  const code = await runCli([...args, '--state-claim', 'jobintel-state', ...extra], term);
  return { code, term };
}

async function previewJson(uri: string, extra: string[] = []) {
  const { code, term } = await preview(uri, [...extra, '--json']);
  return { code, result: JSON.parse(term.stdout.join('\n')) as RestorePreview, term };
}

describe('standby restore-preview (issue 23.4): the restore’s own plan, from the backup alone', () => {
  it('lists exactly the objects restore.sh applies to the same backup, in order, with their images and holds', async () => {
    const { sandbox, backup } = await plant(PLANTED);
    const { code, result } = await previewJson(backup.uri);
    expect(code).toBe(0);
    const { report } = restore(sandbox);
    expect(report?.ok).toBe(true);
    if ('error' in result.plan) throw new Error(result.plan.error);
    const objects = result.plan.objects;
    expect(objects.map((o) => o.id)).toEqual(report?.applied);
    expect(objects.map((o) => o.id)).toEqual(
      expect.arrayContaining(['Deployment/jobintel/web', 'Service/jobintel/web', 'ConfigMap//settings']),
    );
    const ids = objects.map((o) => o.id);
    expect(ids.indexOf('ConfigMap/jobintel/zeta')).toBeLessThan(ids.indexOf('ConfigMap//settings'));
    const workloads = objects.filter((o) => o.held !== null);
    expect(workloads.map((o) => ({ object: o.id, images: o.images }))).toEqual(report?.workload_images);
    // The report lists what it read back from the API server, by resource type: compared as a set.
    const byName = (a: { kind: string; name: string }, b: { kind: string; name: string }) =>
      `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`);
    expect(workloads.map((o) => ({ kind: o.kind, name: o.name, original: o.held })).sort(byName)).toEqual(
      ((report?.held ?? []) as Array<{ kind: string; name: string; original: unknown }>)
        .map((h) => ({ kind: h.kind, name: h.name, original: h.original }))
        .sort(byName),
    );
    expect(objects.find((o) => o.id === 'Deployment/jobintel/web')?.images).toEqual([
      pinned,
      'ghcr.io/example/migrate:latest',
    ]);
    expect(result.plan.state).toEqual({
      claim: 'jobintel-state',
      volume: 'standby-state-jobintel-jobintel-state',
      size: '2Gi',
      access_modes: ['ReadWriteOnce'],
    });
    expect(result.unpinned).toEqual(['ghcr.io/example/migrate:latest']);
    expect(result.diff).toBeNull();
  });

  it('--target-kind eks lists exactly what restore.sh applies on an eks runner: no hostPath volume, the namespace left to the cluster, workloads pinned', async () => {
    const { backup } = await plant(PLANTED);
    const eks = new RunnerSandbox({ target: 'eks' });
    seed(eks, { manifests: PLANTED });
    const flags = ['--target-kind', 'eks', '--execution-id', EKS_EXECUTION];
    const { code, result } = await previewJson(backup.uri, flags);
    expect(code).toBe(0);
    const { report } = restore(eks);
    expect(report?.ok).toBe(true);
    if ('error' in result.plan) throw new Error(result.plan.error);
    expect(result.plan.objects.map((o) => o.id)).toEqual(report?.applied);
    expect(result.plan.cluster_owned).toEqual(report?.cluster_owned);
    expect(result.plan.pinning?.workloads.length).toBe(report?.pinning.workloads.length);
    expect(result.plan.state).toMatchObject({ volume: null, storage_class: 'gp3', size: '2Gi' });
    expect((await preview(backup.uri, ['--target-kind', 'eks'])).code).toBe(2); // no execution to pin to
  });

  it('says what the restore would refuse, as restore.sh refuses it (a bare Pod), exit 3', async () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: jobintel}\nspec:\n  containers: [{name: a, image: '${pinned}'}]\n`;
    const { sandbox, backup } = await plant({ ...MANIFESTS, '30-pod.yaml': pod });
    const { code, result } = await previewJson(backup.uri);
    expect(code).toBe(3);
    const { report } = restore(sandbox);
    expect(result.plan).toEqual({ error: expect.stringContaining('30-pod.yaml: Pod/debug is a bare Pod') });
    expect(report?.error).toBe(`read-manifests: ${(result.plan as { error: string }).error}`);
  });

  it('refuses a backup whose manifests archive does not match metadata.json, before planning', async () => {
    const { backup } = await plant(PLANTED);
    const s3 = new AwsClients().s3;
    const body = Buffer.from(backup.artifacts['manifests.tar.zst'] as Buffer);
    body[body.length - 3] = (body[body.length - 3] ?? 0) ^ 1;
    await seedBackup(s3, {
      artifacts: { ...backup.artifacts },
      upload: (name, original) => (name === 'manifests.tar.zst' ? body : original),
    });
    const { code, term } = await preview(backup.uri);
    expect(code).toBe(1);
    expect(term.stderr.join('\n')).toMatch(/integrity_failed: manifests.tar.zst is \d+ bytes, sha256/);
  });

  it('prints a table a person reads: kind, namespace/name, images, what is held', async () => {
    const { backup } = await plant(PLANTED);
    const { code, term } = await preview(backup.uri);
    expect(code).toBe(0);
    const text = term.stdout.join('\n');
    expect(text).toContain('jobintel/web');
    expect(text).toContain('replicas 3 (held at 0)');
    expect(text).toContain('jobintel-state: 2Gi');
    expect(text).toContain('No verified restore of this deployment to compare with.');
  });
});

describe('one plan program for the runner and the preview', () => {
  it('restore.sh is shipped with the very restore-plan.jq the preview runs, and calls it by name', () => {
    const shipped = loadRunnerScript('restore.sh');
    expect(shipped.companions[0]?.text).toBe(readFileSync('src/runner/restore-plan.jq', 'utf8'));
    expect(shipped.text).toContain('include "restore-plan"; restore_plan($ns; $claim; $target)');
    expect(readFileSync('src/preview/plan.ts', 'utf8')).toContain("loadRunnerFile('restore-plan.jq')");
  });
});
