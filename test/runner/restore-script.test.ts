import { existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { sha256 } from '../helpers/backup.js';
import { RunnerSandbox, sh } from '../helpers/runner-sandbox.js';

const URI = 's3://backups/batch/backups/bk-20261122';

/** Builds state.tar.zst / manifests.tar.zst in the stub S3 from `build` commands run in a scratch dir. */
function seed(
  sandbox: RunnerSandbox,
  options: {
    state?: string;
    flip?: boolean;
    metadata?: (m: { artifacts: Record<string, { bytes: number }> }) => void;
  } = {},
) {
  const work = sandbox.path('build');
  mkdirSync(path.join(work, 'state', 'db'), { recursive: true });
  mkdirSync(path.join(work, 'manifests'), { recursive: true });
  writeFileSync(path.join(work, 'state', 'db', 'jobs.sqlite'), 'sqlite bytes');
  writeFileSync(path.join(work, 'state', 'cursor.json'), '{"offset": 42}');
  writeFileSync(
    path.join(work, 'manifests', '00-namespace.yaml'),
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jobintel\n',
  );
  writeFileSync(path.join(work, 'manifests', '10-cronjobs.yaml'), 'apiVersion: batch/v1\nkind: CronJob\n');
  sh(options.state ?? 'tar -C state -cf state.tar . && zstd -q state.tar -o state.tar.zst', work);
  sh('tar -C manifests -cf manifests.tar . && zstd -q manifests.tar -o manifests.tar.zst', work);
  const artifacts: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of ['state.tar.zst', 'manifests.tar.zst']) {
    const body = readFileSync(path.join(work, name));
    artifacts[name] = { bytes: body.length, sha256: sha256(body) };
    if (options.flip && name === 'state.tar.zst') body[body.length - 5] = (body[body.length - 5] ?? 0) ^ 1;
    sandbox.write(`s3/backups/batch/backups/bk-20261122/${name}`, body);
  }
  const metadata = { backup_id: 'bk-20261122', created_utc: '2026-11-22T00:00:00Z', artifacts };
  options.metadata?.(metadata);
  sandbox.write('s3/backups/batch/backups/bk-20261122/metadata.json', metadata);
}

function restore(sandbox: RunnerSandbox, extra: Record<string, string> = {}) {
  return sandbox.run('restore.sh', {
    STANDBY_BACKUP_URI: URI,
    STANDBY_RESTORE_PATH: sandbox.path('restore'),
    STANDBY_NAMESPACE: 'jobintel',
    ...extra,
  });
}

describe('restore.sh (stub aws and k3s)', () => {
  it('downloads, verifies, extracts the state, applies the manifests and reports counts and CronJobs', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    const { code, stdout, report } = restore(sandbox);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toHaveLength(1);
    expect(report).toMatchObject({
      schema: 'standby.restore-report/v1',
      ok: true,
      error: null,
      files_restored: 2,
      manifests_applied: 2,
      control_plane_applied: false,
      cronjobs: ['jobintel-daily', 'jobintel-hourly'],
    });
    expect(readFileSync(sandbox.path('restore', 'db', 'jobs.sqlite'), 'utf8')).toBe('sqlite bytes');
    expect(sandbox.lines('applied.log').map((file) => path.basename(file))).toEqual([
      '00-namespace.yaml',
      '10-cronjobs.yaml',
    ]);
  });

  it('refuses a flipped byte in state.tar.zst before extracting anything', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { flip: true });
    const { code, report } = restore(sandbox);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, step: 'verify', files_restored: 0 });
    expect(report?.error).toMatch(/state.tar.zst sha256 [0-9a-f]{64} differs from the declared/);
    expect(existsSync(sandbox.path('restore'))).toBe(false);
  });

  it('refuses a size mismatch', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { metadata: (m) => (m.artifacts['manifests.tar.zst'].bytes += 1) });
    const { report } = restore(sandbox);
    expect(report?.error).toMatch(/^verify: manifests.tar.zst is \d+ bytes, expected \d+$/);
  });

  it('reports a missing object as a download failure', () => {
    const sandbox = new RunnerSandbox();
    const { code, report } = restore(sandbox);
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
    const { report } = restore(sandbox);
    expect(report).toMatchObject({
      ok: false,
      step: 'extract-state',
      error: "extract-state: archive entry '../x' contains '..'",
    });
    expect(existsSync(sandbox.path('x'))).toBe(false);
  });

  it('refuses an archive entry with an absolute path', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, {
      state:
        'echo x > /tmp/standby-abs-$$ && tar -cPf state.tar /tmp/standby-abs-$$ && rm /tmp/standby-abs-$$ && zstd -q state.tar -o state.tar.zst',
    });
    const { report } = restore(sandbox);
    expect(report?.error).toMatch(
      /^extract-state: archive entry '\/tmp\/standby-abs-\d+' is an absolute path$/,
    );
  });

  it('refuses a symlink pointing out of the restore path', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, {
      state:
        'mkdir -p s/a && ln -s ../../../etc s/a/escape && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    });
    const { report } = restore(sandbox);
    expect(report?.error).toBe(
      "extract-state: link './a/escape' -> '../../../etc' points outside the archive root",
    );
    expect(existsSync(sandbox.path('restore', 'a', 'escape'))).toBe(false);
  });

  it('refuses an absolute symlink and accepts one that stays inside', () => {
    const outside = new RunnerSandbox();
    seed(outside, {
      state:
        'mkdir s && ln -s /etc/passwd s/pw && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    });
    expect(restore(outside).report?.error).toBe(
      "extract-state: symlink './pw' points to the absolute path '/etc/passwd'",
    );

    const inside = new RunnerSandbox();
    seed(inside, {
      state:
        'mkdir -p s/a && echo hi > s/f && ln -s ../f s/a/link && tar -C s -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    });
    const { report } = restore(inside);
    expect(report).toMatchObject({ ok: true, files_restored: 1 });
    expect(readlinkSync(inside.path('restore', 'a', 'link'))).toBe('../f');
  });

  it('applies a control-plane bundle only after its sha256 verifies', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox);
    const bundle = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: control-plane\n';
    sandbox.write('s3/backups/batch/control-plane/bundles/cp-7.yaml', bundle);
    sandbox.write('s3/backups/batch/control-plane/current.json', {
      bundle_uri: 's3://backups/batch/control-plane/bundles/cp-7.yaml',
      sha256: sha256(bundle),
    });
    const cp = { STANDBY_CONTROL_PLANE_URI: 's3://backups/batch/control-plane/current.json' };
    expect(restore(sandbox, cp).report).toMatchObject({
      ok: true,
      control_plane_applied: true,
      manifests_applied: 2,
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
