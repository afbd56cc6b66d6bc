import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fittingNodes } from '../fixtures/runner/fake-scheduler.mjs';
import { restore, seed, statePath } from '../helpers/runner-backup.js';
import { EKS_EXECUTION, type KubeJson, LOADER_IMAGE, RunnerSandbox } from '../helpers/runner-sandbox.js';

const NODE_GROUP = 'ip-10-0-3-44.ec2.internal';
const PLAN = readFileSync('src/runner/restore-plan.jq', 'utf8');
const PIN = {
  node_selector: { 'standby.dev/execution': EKS_EXECUTION },
  toleration: { key: 'standby.dev/execution', operator: 'Equal', value: EKS_EXECUTION, effect: 'NoSchedule' },
};

/** An eks sandbox with a backup whose state carries the marker metadata.json declares. */
function eksBackup(): RunnerSandbox {
  const sandbox = new RunnerSandbox({ target: 'eks' });
  seed(sandbox, {
    state:
      'printf m-eks > state/.standby-state-marker && tar -C state -cf state.tar . && zstd -q state.tar -o state.tar.zst',
    metadata: (m) => {
      m.state = { marker: 'm-eks' };
    },
  });
  return sandbox;
}

/** Where the pods of every workload in the namespace could run, by the fake's scheduler. */
function placements(sandbox: RunnerSandbox): Record<string, string[]> {
  const nodes = sandbox.json<{ items: KubeJson[] }>('nodes.json').items;
  const podSpec = (o: KubeJson) =>
    o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
  return Object.fromEntries(
    Object.values(sandbox.cluster())
      .filter((o) => ['CronJob', 'Deployment', 'Job'].includes(o.kind))
      .map((o) => [`${o.kind}/${o.metadata.name}`, fittingNodes(podSpec(o), nodes)]),
  );
}

const mutate = (from: string, to: string) => {
  expect(PLAN).toContain(from);
  return PLAN.replace(from, to);
};

describe('restore.sh, validate.sh and activate.sh on an eks target (fake kubectl, gp3 claims, a tainted node group)', () => {
  it('loads the verified state into a new gp3 volume through a loader pod, pins every workload, and validates it through the claim', () => {
    const sandbox = eksBackup();
    const { code, report, stderr } = restore(sandbox);
    expect(stderr).not.toMatch(/command failed/);
    expect(report?.error).toBeNull();
    expect(code).toBe(0);
    const pvc = sandbox.object('PersistentVolumeClaim', 'jobintel', 'jobintel-state');
    expect(pvc?.spec.storageClassName).toBe('gp3');
    expect(pvc?.status.phase).toBe('Bound');
    const pv = sandbox.object('PersistentVolume', '', pvc?.spec.volumeName);
    expect(pv?.spec.csi.driver).toBe('ebs.csi.aws.com');
    expect(report).toMatchObject({
      ok: true,
      target_kind: 'eks',
      files_restored: 3,
      state: {
        claim: 'jobintel-state',
        volume: pvc?.spec.volumeName,
        path: null,
        storage_class: 'gp3',
        bound: true,
        marker: 'm-eks',
        marker_verified: true,
        loader: {
          pod: 'standby-state-loader',
          image: LOADER_IMAGE,
          deleted: true,
          marker_read_through_claim: true,
        },
      },
      pinning: { ...PIN, workloads: ['CronJob/jobintel-daily', 'CronJob/jobintel-hourly'] },
      // The namespace is the cluster owner's: outside the runner's access, not applied, named.
      cluster_owned: ['Namespace//jobintel'],
      applied: [
        'PersistentVolumeClaim/jobintel/jobintel-state',
        'CronJob/jobintel/jobintel-daily',
        'CronJob/jobintel/jobintel-hourly',
      ],
      cronjobs_suspended: ['jobintel-daily', 'jobintel-hourly'],
    });
    // No hostPath anywhere: the state is on the provisioned volume, the runner's state path untouched.
    expect(Object.values(sandbox.cluster()).some((o) => o.spec?.hostPath)).toBe(false);
    expect(existsSync(statePath(sandbox))).toBe(false);
    const onVolume = sandbox.path('ebs', pv?.spec.csi.volumeHandle);
    expect(readFileSync(`${onVolume}/db/jobs.sqlite`, 'utf8')).toBe('sqlite bytes');
    expect(readFileSync(`${onVolume}/.standby-state-marker`, 'utf8')).toBe('m-eks');
    // The loader: created pinned and digest-pinned, streamed into with exec -i, then gone.
    const calls = sandbox.lines('calls.log');
    expect(calls).toContain('exec -i standby-state-loader -n jobintel -c loader -- tar -x -o -C /state');
    expect(calls.filter((c) => c.startsWith('delete pod standby-state-loader'))).toHaveLength(2); // earlier attempt's, then its own
    expect(sandbox.object('Pod', 'jobintel', 'standby-state-loader')).toBeUndefined();
    // Every workload can run on this execution's node group and nowhere else.
    expect(placements(sandbox)).toEqual({
      'CronJob/jobintel-daily': [NODE_GROUP],
      'CronJob/jobintel-hourly': [NODE_GROUP],
    });

    // validate: the Job from the (pinned) CronJob reads the marker through the claim.
    sandbox.write('job-status.json', {
      metadata: { uid: '0a0b0c0d-0000-4000-8000-000000000042' },
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    });
    sandbox.write('job-logs.txt', 'jobintel: resumed\n');
    const validated = sandbox.run('validate.sh', {
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly',
      STANDBY_READY_TIMEOUT_SECONDS: '0',
      STANDBY_POLL_SECONDS: '0',
      STANDBY_RUN_JOB: 'true',
      STANDBY_JOB_CRONJOB: 'jobintel-daily',
      STANDBY_IMAGE_REF: `ghcr.io/example/jobintel@sha256:${'c'.repeat(64)}`,
      STANDBY_JOB_TIMEOUT_SECONDS: '5',
      STANDBY_STATE_CLAIM: 'jobintel-state',
      STANDBY_STATE_MARKER: 'm-eks',
    });
    expect(validated.report?.failures).toEqual([]);
    expect(validated.report).toMatchObject({
      result: 'passed',
      // The access entry reaches the namespace's objects only: what it cannot read is said, not passed.
      not_permitted: ['nodes', 'kube-system pods', 'namespace'],
      namespace: { name: 'jobintel', exists: true },
      state: { claim: 'jobintel-state', bound: true, volume: pvc?.spec.volumeName },
      job: { status: 'succeeded', state_marker: { expected: 'm-eks', read: 'm-eks', verified: true } },
    });

    // activate: the CronJobs run, still pinned.
    const activated = sandbox.run('activate.sh', {
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly',
    });
    expect(activated.code).toBe(0);
    expect(sandbox.object('CronJob', 'jobintel', 'jobintel-daily')?.spec.suspend).toBe(false);
    expect(placements(sandbox)['CronJob/jobintel-daily']).toEqual([NODE_GROUP]);
  });

  it('fails without the toleration (the loader fits no node) or without the node selector (workloads could run elsewhere)', () => {
    const noToleration = eksBackup();
    const withoutToleration = mutate(
      '| .tolerations = ([(.tolerations // [])[] | select(. != $pin.toleration)] + [$pin.toleration])',
      '',
    );
    const refused = noToleration.run('restore.sh', restoreEnv(noToleration), undefined, withoutToleration);
    expect(refused.report?.error).toMatch(
      /^load-state: the loader pod did not start within 1s: no node labelled and tainted standby.dev\/execution=/,
    );
    expect(noToleration.object('Pod', 'jobintel', 'standby-state-loader')).toBeUndefined(); // cleaned up on the way out

    const noSelector = eksBackup();
    const withoutSelector = mutate('| .nodeSelector = ((.nodeSelector // {}) + $pin.node_selector)', '');
    const unpinned = noSelector.run('restore.sh', restoreEnv(noSelector), undefined, withoutSelector);
    expect(unpinned.report?.error).toBe(
      `check-held: workloads not pinned to node group standby.dev/execution=${EKS_EXECUTION} after the restore: CronJob/jobintel-daily, CronJob/jobintel-hourly`,
    );
    // What the read-back guards against: such a workload could run on another team's node.
    expect(placements(noSelector)['CronJob/jobintel-daily']).toContain('ip-10-0-2-10.ec2.internal');
  });

  it('refuses a tag-only loader image, an execution id that is no label value, a bad class or kind, before any download', () => {
    const sandbox = eksBackup();
    const cases: [Record<string, string>, RegExp][] = [
      [
        { STANDBY_LOADER_IMAGE: 'public.ecr.aws/docker/library/busybox:1.37' },
        /STANDBY_LOADER_IMAGE must be pinned by digest/,
      ],
      [{ STANDBY_LOADER_IMAGE: '' }, /STANDBY_LOADER_IMAGE must be pinned by digest/],
      [
        { STANDBY_EXECUTION_ID: `drill-${'x'.repeat(60)}` },
        /STANDBY_EXECUTION_ID is not a Kubernetes label value/,
      ],
      [{ STANDBY_STORAGE_CLASS: 'GP3' }, /STANDBY_STORAGE_CLASS is not a storage class name/],
      [{ STANDBY_TARGET_KIND: 'gke' }, /STANDBY_TARGET_KIND is neither k3s nor eks/],
    ];
    for (const [env, error] of cases) {
      const { code, report } = restore(sandbox, env);
      expect([env, code, report?.step, error.test(String(report?.error))]).toEqual([env, 1, 'start', true]);
    }
    expect(existsSync(sandbox.path('aws.log'))).toBe(false);
  });

  it('refuses to restore into a volume that is not fresh (a second restore of the same claim), and deletes its loader', () => {
    const sandbox = eksBackup();
    expect(restore(sandbox).code).toBe(0);
    const again = restore(sandbox);
    expect(again.report?.error).toMatch(
      /^load-state: the volume of claim jobintel-state is not fresh \(it holds \.standby-state-marker cursor\.json db lost\+found/,
    );
    expect(sandbox.object('Pod', 'jobintel', 'standby-state-loader')).toBeUndefined();
  });
});

function restoreEnv(sandbox: RunnerSandbox) {
  return {
    STANDBY_BACKUP_URI: 's3://backups/batch/backups/bk-20261122',
    STANDBY_RESTORE_PATH: statePath(sandbox),
    STANDBY_NAMESPACE: 'jobintel',
    STANDBY_STATE_CLAIM: 'jobintel-state',
    STANDBY_WAIT_SECONDS: '1',
  };
}
