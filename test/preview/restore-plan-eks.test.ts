import { describe, expect, it } from '@jest/globals';
import { computeRestorePlan } from '../../src/preview/plan.js';
import { renderRestorePreview } from '../../src/preview/render.js';
import { MANIFESTS } from '../helpers/runner-backup.js';

const files = Object.entries(MANIFESTS).map(([file, text]) => ({ file, text }));
const base = { namespace: 'jobintel', claim: 'jobintel-state', restorePath: '/var/lib/standby/volumes/x' };

describe('the restore plan on an eks target, as the preview shows it (the same restore-plan.jq)', () => {
  it('gives the claim a new volume of the storage class, adds no hostPath volume, and pins every workload', () => {
    const plan = computeRestorePlan(files, { ...base, eks: { storageClass: 'gp3', execution: 'drill-7' } });
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.state).toEqual({
      claim: 'jobintel-state',
      volume: null,
      storage_class: 'gp3',
      size: '2Gi',
      access_modes: ['ReadWriteOnce'],
    });
    // The namespace is the cluster owner's on eks (outside the runner's namespace-scoped access).
    expect(plan.cluster_owned).toEqual(['Namespace//jobintel']);
    expect(plan.objects.map((o) => o.id)).toEqual([
      'PersistentVolumeClaim/jobintel/jobintel-state',
      'CronJob/jobintel/jobintel-daily',
      'CronJob/jobintel/jobintel-hourly',
    ]);
    expect(plan.pinning).toEqual({
      node_selector: { 'standby.dev/execution': 'drill-7' },
      toleration: { key: 'standby.dev/execution', operator: 'Equal', value: 'drill-7', effect: 'NoSchedule' },
      workloads: ['CronJob/jobintel/jobintel-daily', 'CronJob/jobintel/jobintel-hourly'],
    });
    const text = renderRestorePreview({
      backup_uri: 's3://b/backups/x',
      namespace: 'jobintel',
      plan,
      unpinned: [],
      diff: null,
    });
    expect(text).toContain('on a new volume of storage class `gp3`');
    expect(text).toContain('Every workload pinned to this execution');
    expect(text).toContain('Left to the cluster, which must already have them');
  });

  it('k3s is unchanged: the hostPath volume, no pinning', () => {
    const plan = computeRestorePlan(files, base);
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.state?.volume).toBe('standby-state-jobintel-jobintel-state');
    expect(plan.objects.map((o) => o.id)).toContain(
      'PersistentVolume//standby-state-jobintel-jobintel-state',
    );
    expect(plan).not.toHaveProperty('pinning');
  });
});
