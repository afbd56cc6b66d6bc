import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { sha256 } from '../helpers/backup.js';
import {
  cronJob,
  FOLDER,
  MANIFESTS,
  NAMESPACE,
  restore,
  seed,
  statePath,
  URI,
} from '../helpers/runner-backup.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';

describe('restore.sh: the state contract and dependency order (stub aws, fake k3s)', () => {
  it('restores the state into the volume the workloads claim, applies in dependency order, CronJobs suspended', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    const { code, stdout, report, stderr } = restore(sandbox);
    expect(stderr).not.toMatch(/command failed/);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toHaveLength(1);
    const volume = 'standby-state-jobintel-jobintel-state';
    expect(report).toMatchObject({
      schema: 'standby.restore-report/v2',
      ok: true,
      error: null,
      files_restored: 2,
      manifests_applied: 5,
      applied: [
        'Namespace//jobintel',
        `PersistentVolume//${volume}`,
        'PersistentVolumeClaim/jobintel/jobintel-state',
        'CronJob/jobintel/jobintel-daily',
        'CronJob/jobintel/jobintel-hourly',
      ],
      control_plane_applied: false,
      cronjobs: ['jobintel-daily', 'jobintel-hourly'],
      cronjobs_suspended: ['jobintel-daily', 'jobintel-hourly'],
      cronjobs_active: [],
      state: {
        claim: 'jobintel-state',
        volume,
        path: statePath(sandbox),
        bound: true,
        claimants: ['CronJob/jobintel-daily', 'CronJob/jobintel-hourly'],
      },
    });
    expect(readFileSync(path.join(statePath(sandbox), 'db', 'jobs.sqlite'), 'utf8')).toBe('sqlite bytes');
    // Each download's bytes, in order (metadata.json, state, manifests): what the drill's cost counts.
    const stored = (name: string) => statSync(sandbox.path(FOLDER, name)).size;
    expect(report?.downloads).toEqual([
      stored('metadata.json'),
      stored('state.tar.zst'),
      stored('manifests.tar.zst'),
    ]);
    // The volume is a hostPath PV on the restored directory, pre-bound both ways to the claim.
    const pv = sandbox.object('PersistentVolume', '', volume);
    expect(pv?.spec).toMatchObject({
      hostPath: { path: statePath(sandbox), type: 'Directory' },
      claimRef: { namespace: 'jobintel', name: 'jobintel-state' },
      storageClassName: '',
      capacity: { storage: '2Gi' },
      persistentVolumeReclaimPolicy: 'Retain',
    });
    const pvc = sandbox.object('PersistentVolumeClaim', 'jobintel', 'jobintel-state');
    expect(pvc?.spec).toMatchObject({ volumeName: volume, storageClassName: '' });
    expect(pvc?.status.phase).toBe('Bound');
    // Suspended at creation: the one write of each CronJob already carried suspend: true.
    const cj = sandbox.object('CronJob', 'jobintel', 'jobintel-daily');
    expect(cj?.spec.suspend).toBe(true);
    expect(cj?.metadata.managedFields).toEqual([{ manager: 'standby', operation: 'Apply' }]);
    const applies = sandbox.lines('calls.log').filter((c) => c.startsWith('apply'));
    expect(applies.every((c) => c.includes('--server-side --field-manager=standby'))).toBe(true);
    expect(sandbox.lines('calls.log').some((c) => c.startsWith('patch'))).toBe(false);
    // Work happened under the base directory, never /tmp, and was cleaned up.
    expect(existsSync(sandbox.path('var-lib-standby', 'work'))).toBe(true);
  });

  it('waits for a CRD to be Established before applying its custom resources, and fails when it never is', () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: feeds.jobintel.example.com}
spec:
  group: jobintel.example.com
  scope: Namespaced
  names: {kind: Feed, plural: feeds}
  versions: [{name: v1, served: true, storage: true}]
`;
    const feed =
      'apiVersion: jobintel.example.com/v1\nkind: Feed\nmetadata: {name: acme, namespace: jobintel}\nspec: {url: x}\n';
    const manifests = { ...MANIFESTS, '05-feed.yaml': feed, '99-crd.yaml': crd };
    const sandbox = new RunnerSandbox();
    seed(sandbox, { manifests });
    const { report } = restore(sandbox);
    expect(report?.ok).toBe(true);
    const order = ((report?.applied ?? []) as string[]).map((a) => a.split('/')[0]);
    expect(order.indexOf('CustomResourceDefinition')).toBeLessThan(order.indexOf('Feed'));
    expect(sandbox.lines('calls.log')).toContain(
      'wait --for=condition=Established crd/feeds.jobintel.example.com --timeout=1s',
    );

    const stuck = new RunnerSandbox();
    seed(stuck, { manifests });
    stuck.write('crd-not-established', 'feeds.jobintel.example.com');
    expect(restore(stuck).report?.error).toBe(
      'apply-manifests: CustomResourceDefinition feeds.jobintel.example.com not Established within 1s',
    );
  });

  it('fails clearly when no workload mounts the state claim, before extracting or applying anything', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, {
      manifests: { ...MANIFESTS, '10-cronjobs.yaml': cronJob('jobintel-daily', 'other-claim') },
    });
    const { code, report } = restore(sandbox);
    expect(code).toBe(1);
    expect(report?.error).toBe(
      'read-manifests: no workload in the manifests mounts the claim jobintel-state: the restored state would be read by nothing',
    );
    expect(existsSync(statePath(sandbox))).toBe(false);
    expect(sandbox.lines('calls.log').filter((c) => c.startsWith('apply'))).toEqual([]);
  });

  it('fails when the manifests have no such claim, or carry an object of another namespace', () => {
    const noClaim = new RunnerSandbox();
    seed(noClaim, { manifests: { '00-namespace.yaml': NAMESPACE, 'cj.yaml': cronJob('jobintel-daily') } });
    expect(restore(noClaim).report?.error).toMatch(
      /^read-manifests: the manifests have no PersistentVolumeClaim jobintel-state/,
    );

    const foreign = new RunnerSandbox();
    seed(foreign, {
      manifests: {
        ...MANIFESTS,
        'x.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"kube-system"}}',
      },
    });
    expect(restore(foreign).report?.error).toBe(
      'read-manifests: x.json: ConfigMap/kube-system/x is not in namespace jobintel; restore applies only jobintel and cluster-scoped objects',
    );
  });

  it('accepts JSON manifests (what standby backup writes) as well as YAML, including Lists', () => {
    const sandbox = new RunnerSandbox();
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'settings', namespace: 'jobintel' },
          data: { a: '1' },
        },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner' } },
      ],
    };
    seed(sandbox, { manifests: { ...MANIFESTS, 'extra.json': JSON.stringify(list) } });
    const { report } = restore(sandbox);
    expect(report?.ok).toBe(true);
    expect(sandbox.object('ConfigMap', 'jobintel', 'settings')?.data).toEqual({ a: '1' });
    // A namespaced object without a namespace lands in the application namespace (-n), never in default.
    expect(sandbox.object('ServiceAccount', 'jobintel', 'runner')).toBeDefined();
    expect(sandbox.object('ServiceAccount', 'default', 'runner')).toBeUndefined();
  });

  it('refuses an invalid object the API server would refuse (a CronJob without a jobTemplate)', () => {
    const sandbox = new RunnerSandbox();
    const broken =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: broken, namespace: jobintel}\nspec: {schedule: "* * * * *"}\n';
    seed(sandbox, { manifests: { ...MANIFESTS, 'broken.yaml': broken } });
    const { report } = restore(sandbox);
    expect(report?.ok).toBe(false);
    expect(report?.step).toBe('apply-manifests');
    expect(report?.error).toContain('server-side apply failed');
  });

  it('refuses a state archive whose marker differs from metadata.json', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, {
      metadata: (m) => (m.state = { marker: 'f'.repeat(64), marker_file: '.standby-state-marker' }),
    });
    expect(restore(sandbox).report?.error).toBe(
      `extract-state: state marker 'missing' differs from metadata.json's ${'f'.repeat(64)}`,
    );
  });
});

describe('restore.sh: integrity and archive attacks', () => {
  it('refuses a flipped byte in state.tar.zst before extracting anything', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { flip: true });
    const { code, report } = restore(sandbox);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, step: 'verify', files_restored: 0 });
    expect(report?.error).toMatch(/state.tar.zst sha256 [0-9a-f]{64} differs from the declared/);
    expect(existsSync(statePath(sandbox))).toBe(false);
  });

  it('refuses a size mismatch', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { metadata: (m) => (m.artifacts['manifests.tar.zst'].bytes += 1) });
    expect(restore(sandbox).report?.error).toMatch(/^verify: manifests.tar.zst is \d+ bytes, expected \d+$/);
  });

  it('reports a missing object as a download failure', () => {
    const { code, report } = restore(new RunnerSandbox());
    expect(code).toBe(1);
    expect(report).toMatchObject({
      ok: false,
      step: 'download',
      error: `download: cannot download ${URI}/metadata.json`,
    });
  });

  it('refuses an archive entry ../x', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, {
      state:
        "echo x > x && tar -cf state.tar -P --transform 's,^x$,../x,' x && zstd -q state.tar -o state.tar.zst",
    });
    expect(restore(sandbox).report).toMatchObject({
      ok: false,
      step: 'extract-state',
      error: "extract-state: archive entry '../x' contains '..'",
    });
    expect(existsSync(sandbox.path('var-lib-standby', 'volumes', 'x'))).toBe(false);
  });

  it('refuses an archive entry with an absolute path', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, {
      state:
        'echo x > /tmp/standby-abs-$$ && tar -cPf state.tar /tmp/standby-abs-$$ && rm /tmp/standby-abs-$$ && zstd -q state.tar -o state.tar.zst',
    });
    expect(restore(sandbox).report?.error).toMatch(
      /^extract-state: archive entry '\/tmp\/standby-abs-\d+' is an absolute path$/,
    );
  });

  it('refuses a symlink pointing out of the restore root, and an absolute one; accepts one that stays inside', () => {
    const out = new RunnerSandbox();
    seed(out, {
      state:
        'mkdir -p s/a && ln -s ../../../etc s/a/escape && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    });
    expect(out.run('restore.sh', {}).code).toBe(1);
    expect(restore(out).report?.error).toBe(
      "extract-state: symlink 'a/escape' -> '../../../etc' resolves outside the restore root",
    );
    expect(existsSync(statePath(out))).toBe(false);

    const absolute = new RunnerSandbox();
    seed(absolute, {
      state:
        'mkdir s && ln -s /etc/passwd s/pw && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    });
    expect(restore(absolute).report?.error).toBe(
      "extract-state: symlink 'pw' points to the absolute path '/etc/passwd'",
    );

    const inside = new RunnerSandbox();
    seed(inside, {
      state:
        'mkdir -p s/a && echo hi > s/f && ln -s ../f s/a/link && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    });
    expect(restore(inside).report).toMatchObject({ ok: true, files_restored: 1 });
    expect(readlinkSync(path.join(statePath(inside), 'a', 'link'))).toBe('../f');
  });

  it('refuses a symlink chain that only escapes when followed (lexically inside, physically outside)', () => {
    const sandbox = new RunnerSandbox();
    // a/b -> .. (the root) is fine alone; c -> a/b/.. climbs above the root through it.
    seed(sandbox, {
      state:
        'mkdir -p s/a && ln -s .. s/a/b && ln -s a/b/.. s/c && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    });
    expect(restore(sandbox).report?.error).toBe(
      "extract-state: symlink 'c' -> 'a/b/..' resolves outside the restore root",
    );
  });

  it('is not fooled by a symlink whose NAME contains " -> " (the tar -tv parsing trap)', () => {
    const sandbox = new RunnerSandbox();
    // Read as text, "evil -> inside -> ../../../etc" looks like a link named "evil" to "inside -> ...".
    seed(sandbox, {
      state:
        "mkdir s && ln -s ../../../etc 's/evil -> inside' && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst",
    });
    expect(restore(sandbox).report?.error).toBe(
      "extract-state: symlink 'evil -> inside' -> '../../../etc' resolves outside the restore root",
    );
    const benign = new RunnerSandbox();
    seed(benign, {
      state:
        "mkdir s && echo x > s/f && ln -s f 's/a -> b' && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst",
    });
    expect(restore(benign).report?.ok).toBe(true);
    expect(readlinkSync(path.join(statePath(benign), 'a -> b'))).toBe('f');
  });

  it('refuses a device entry', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, {
      state: `python3 -c "
import tarfile
with tarfile.open('state.tar', 'w') as t:
    i = tarfile.TarInfo('null'); i.type = tarfile.CHRTYPE; i.devmajor = 1; i.devminor = 3; t.addfile(i)
" && zstd -q state.tar -o state.tar.zst`,
    });
    expect(restore(sandbox).report?.error).toBe(
      "extract-state: state.tar holds a device, FIFO or other special entry (type 'c')",
    );
  });

  it('a second attempt extracts into a fresh directory: a symlink left in the used one is never written through', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    // What attempt 1 (or anything else) left behind: db is a symlink to somewhere outside.
    const outside = sandbox.path('outside');
    mkdirSync(outside);
    mkdirSync(statePath(sandbox), { recursive: true });
    symlinkSync(outside, path.join(statePath(sandbox), 'db'));
    const { report } = restore(sandbox);
    expect(report?.ok).toBe(true);
    expect(existsSync(path.join(outside, 'jobs.sqlite'))).toBe(false);
    expect(lstatSync(path.join(statePath(sandbox), 'db')).isDirectory()).toBe(true);
    expect(readFileSync(path.join(statePath(sandbox), 'db', 'jobs.sqlite'), 'utf8')).toBe('sqlite bytes');
    // And the restore is repeatable: attempt 3 on the same runner converges to the same state.
    expect(restore(sandbox).report).toMatchObject({ ok: true, files_restored: 2 });
  });

  it('keeps restore-path inside /var/lib/standby: /etc and look-alikes are refused before anything is read', () => {
    for (const bad of ['/etc', '/etc/standby', '/var/lib/standby-other/x', '/var/lib/standby/../../etc']) {
      const sandbox = new RunnerSandbox();
      const { report } = sandbox.run('restore.sh', {
        STANDBY_BACKUP_URI: URI,
        STANDBY_RESTORE_PATH: bad,
        STANDBY_NAMESPACE: 'jobintel',
        STANDBY_STATE_CLAIM: 'jobintel-state',
        STANDBY_BASE_DIR: '/var/lib/standby',
      });
      expect(report?.error).toMatch(/^start: STANDBY_RESTORE_PATH must be/);
      expect(sandbox.lines('aws.log')).toEqual([]);
    }
  });

  it('applies a control-plane bundle only after its sha256 verifies, with its CronJobs suspended', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    const bundle = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: control-plane, namespace: jobintel}\n---\n${cronJob('cp-sync')}`;
    sandbox.write('s3/backups/batch/control-plane/bundles/cp-7.yaml', bundle);
    sandbox.write('s3/backups/batch/control-plane/current.json', {
      bundle_uri: 's3://backups/batch/control-plane/bundles/cp-7.yaml',
      sha256: sha256(bundle),
    });
    const cp = { STANDBY_CONTROL_PLANE_URI: 's3://backups/batch/control-plane/current.json' };
    expect(restore(sandbox, cp).report).toMatchObject({
      ok: true,
      control_plane_applied: true,
      cronjobs_suspended: ['cp-sync', 'jobintel-daily', 'jobintel-hourly'],
    });

    sandbox.write('s3/backups/batch/control-plane/current.json', {
      bundle_uri: 's3://backups/batch/control-plane/bundles/cp-7.yaml',
      sha256: sha256('other'),
    });
    const bad = restore(sandbox, cp).report;
    expect(bad).toMatchObject({ ok: false, step: 'control-plane', control_plane_applied: false });
    expect(bad?.error).toContain('control-plane bundle sha256');
  });
});
