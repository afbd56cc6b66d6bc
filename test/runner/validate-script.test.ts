import { describe, expect, it } from '@jest/globals';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';

const DIGEST_REF = `ghcr.io/example/jobintel@sha256:${'a'.repeat(64)}`;
const BASE = {
  STANDBY_NAMESPACE: 'jobintel',
  STANDBY_CRONJOBS: 'jobintel-daily,jobintel-hourly',
  STANDBY_READY_TIMEOUT_SECONDS: '0',
  STANDBY_POLL_SECONDS: '0',
};
const JOB = {
  STANDBY_RUN_JOB: 'true',
  STANDBY_JOB_CRONJOB: 'jobintel-daily',
  STANDBY_IMAGE_REF: DIGEST_REF,
  STANDBY_JOB_TIMEOUT_SECONDS: '5',
};

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is edited freely in these tests
type Loose = Record<string, any>;
type Items = { items: Loose[] };

function jobStatus(sandbox: RunnerSandbox, status: Record<string, unknown>) {
  sandbox.write('job-status.json', { metadata: { uid: '3f1e2d3c-4b5a-4697-8a9b-0c1d2e3f4a5b' }, status });
  sandbox.write('job-pods.json', { apiVersion: 'v1', kind: 'List', items: [] });
  sandbox.write('job-logs.txt', 'jobintel: scanned 42 sources\njobintel: published 0 (dry run)\n');
}

describe('validate.sh (stub k3s with real-shaped Kubernetes JSON)', () => {
  it('passes a healthy cluster and reports nodes, pods, namespace and CronJobs in one compact JSON line', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const { code, stdout, report } = sandbox.run('validate.sh', BASE);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toHaveLength(1);
    expect(report).toMatchObject({
      schema: 'standby.validate-report/v2',
      result: 'passed',
      api_ready: true,
      nodes: [{ name: 'ip-10-0-1-23', ready: true }],
      namespace: { name: 'jobintel', exists: true },
      cronjobs: { expected: ['jobintel-daily', 'jobintel-hourly'], missing: [] },
      job: null,
      failures: [],
    });
    expect(report?.pods).toHaveLength(4);
    expect(sandbox.lines('calls.log').some((call) => call.startsWith('create namespace'))).toBe(false);
  });

  it('fails on a NotReady node and names it', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    sandbox.edit<Items>('nodes.json', (nodes) => {
      const ready = nodes.items[0]?.status.conditions.find((c: { type: string }) => c.type === 'Ready');
      Object.assign(ready, { status: 'Unknown', reason: 'NodeStatusUnknown' });
    });
    const { code, report } = sandbox.run('validate.sh', BASE);
    expect(code).toBe(1);
    expect(report?.result).toBe('failed');
    expect(report?.failures).toContain('node ip-10-0-1-23 not Ready (NodeStatusUnknown)');
  });

  it('fails when the namespace is missing and never creates it', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const { code, report } = sandbox.run('validate.sh', { ...BASE, STANDBY_NAMESPACE: 'other' });
    expect(code).toBe(1);
    expect(report?.namespace).toEqual({ name: 'other', exists: false });
    expect(String((report?.failures as string[] | undefined)?.[0])).toContain(
      'namespace other does not exist',
    );
    expect(sandbox.lines('calls.log').filter((call) => /^(create|apply)/.test(call))).toEqual([]);
  });

  it('fails on a kube-system pod in ImagePullBackOff, naming the reason', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    sandbox.edit<Items>('kube-system-pods.json', (pods) => {
      const coredns = pods.items[0] as Loose;
      coredns.status.conditions[1].status = 'False';
      coredns.status.containerStatuses[0].ready = false;
      coredns.status.containerStatuses[0].state = {
        waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' },
      };
    });
    const { report } = sandbox.run('validate.sh', BASE);
    expect(report?.failures).toEqual([
      'kube-system pod coredns-5688667fd4-x2k8p not Ready (ImagePullBackOff)',
    ]);
  });

  it('fails when a restored CronJob is missing', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const { report } = sandbox.run('validate.sh', {
      ...BASE,
      STANDBY_CRONJOBS: 'jobintel-daily,jobintel-weekly',
    });
    expect(report?.cronjobs).toMatchObject({ missing: ['jobintel-weekly'] });
    expect(report?.failures).toEqual(['CronJob jobintel-weekly missing in namespace jobintel']);
  });

  it('fails when the k3s API never becomes ready within the deadline', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    sandbox.write('readyz', '[-]etcd failed: reason withheld');
    const { report } = sandbox.run('validate.sh', BASE);
    expect(report).toMatchObject({
      api_ready: false,
      result: 'failed',
      failures: ['k3s API not ready after 0s'],
    });
  });

  it('runs the Job from the CronJob with the digest-pinned image and a deadline, captures run id and logs, cleans up', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    jobStatus(sandbox, { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    const { code, report } = sandbox.run('validate.sh', { ...BASE, ...JOB });
    expect(code).toBe(0);
    const created = sandbox.json<Loose>('created-job.json');
    expect(created.spec.template.spec.containers[0].image).toBe(DIGEST_REF);
    expect(created.spec.activeDeadlineSeconds).toBe(5);
    expect(created.spec.backoffLimit).toBe(2);
    expect(report?.job).toMatchObject({
      cronjob: 'jobintel-daily',
      image: DIGEST_REF,
      run_id: '3f1e2d3c-4b5a-4697-8a9b-0c1d2e3f4a5b',
      status: 'succeeded',
      backoff_limit: 2,
      cleaned_up: true,
    });
    expect(String((report?.job as { log_tail?: string } | undefined)?.log_tail)).toContain(
      'scanned 42 sources',
    );
    expect(sandbox.lines('deleted.log')).toEqual([created.metadata.name]);
  });

  it('fails a Job that fails after its retries (backoffLimit honoured) and still cleans up', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    jobStatus(sandbox, {
      failed: 3,
      conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }],
    });
    const { code, report } = sandbox.run('validate.sh', { ...BASE, ...JOB });
    expect(code).toBe(1);
    expect(report?.job).toMatchObject({ status: 'failed', failed: 3, backoff_limit: 2, cleaned_up: true });
    expect(report?.failures).toEqual(['Job from jobintel-daily failed after 3 attempt(s) (backoffLimit 2)']);
  });

  it('stops early when the Job pod cannot pull its image', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    jobStatus(sandbox, { active: 1 });
    sandbox.write('job-pods.json', {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          metadata: { name: 'standby-validate-x-abcde' },
          status: {
            phase: 'Pending',
            containerStatuses: [
              {
                name: 'runner',
                ready: false,
                state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
              },
            ],
          },
        },
      ],
    });
    const { report } = sandbox.run('validate.sh', { ...BASE, ...JOB });
    expect(report?.job).toMatchObject({ status: 'image_pull_error', cleaned_up: true });
    expect(String((report?.failures as string[] | undefined)?.[0])).toContain('ImagePullBackOff');
  });

  it('fails a Job that outlives its wall-clock deadline', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    jobStatus(sandbox, { active: 1 });
    const { report } = sandbox.run('validate.sh', { ...BASE, ...JOB, STANDBY_JOB_TIMEOUT_SECONDS: '1' });
    expect(report?.job).toMatchObject({ status: 'timed_out', cleaned_up: true });
    expect(report?.failures).toEqual(['Job from jobintel-daily did not finish within 1s']);
  });
});

/** A restored cluster with its state volume: PV on `stateDir`, claim bound, the CronJob mounting it. */
function withStateVolume(sandbox: RunnerSandbox, marker: string, claimInCronJob = 'jobintel-state') {
  const stateDir = sandbox.path('var-lib-standby', 'volumes', 'jobintel-state');
  sandbox.write('var-lib-standby/volumes/jobintel-state/.standby-state-marker', `${marker}\n`);
  const cronjob = sandbox.object('CronJob', 'jobintel', 'jobintel-daily') as Loose;
  const podSpec = cronjob.spec.jobTemplate.spec.template.spec;
  podSpec.volumes = [{ name: 'state', persistentVolumeClaim: { claimName: claimInCronJob } }];
  podSpec.containers[0].volumeMounts = [{ name: 'state', mountPath: '/data' }];
  sandbox.seed([
    cronjob,
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'standby-state-jobintel-jobintel-state' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: '',
        hostPath: { path: stateDir, type: 'Directory' },
        claimRef: { namespace: 'jobintel', name: 'jobintel-state' },
      },
      status: { phase: 'Bound' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'jobintel-state', namespace: 'jobintel' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: '',
        volumeName: 'standby-state-jobintel-jobintel-state',
        resources: { requests: { storage: '1Gi' } },
      },
      status: { phase: 'Bound' },
    },
  ]);
}

const MARKER = 'd'.repeat(64);
const STATE = { STANDBY_STATE_CLAIM: 'jobintel-state', STANDBY_STATE_MARKER: MARKER };

describe('validate.sh: the job runs on the restored state, and nothing runs before activation', () => {
  it('adds an init container reading the marker through the claim, and passes when it reads the restored one', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    withStateVolume(sandbox, MARKER);
    jobStatus(sandbox, { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    const { code, report } = sandbox.run('validate.sh', { ...BASE, ...JOB, ...STATE });
    expect(report?.failures).toEqual([]);
    expect(code).toBe(0);
    expect(report?.state).toEqual({
      claim: 'jobintel-state',
      bound: true,
      volume: 'standby-state-jobintel-jobintel-state',
    });
    expect(report?.job.state_marker).toEqual({ expected: MARKER, read: MARKER, verified: true });
    const created = sandbox.json<Loose>('created-job.json');
    expect(created.spec.template.spec.initContainers[0]).toEqual({
      name: 'standby-state-marker',
      image: DIGEST_REF,
      command: ['cat', '/standby-state/.standby-state-marker'],
      volumeMounts: [{ name: 'state', mountPath: '/standby-state', readOnly: true }],
    });
  });

  it('fails when the job reads another state than the restored one (exit 0 is not enough)', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    withStateVolume(sandbox, 'e'.repeat(64));
    jobStatus(sandbox, { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    const { code, report } = sandbox.run('validate.sh', { ...BASE, ...JOB, ...STATE });
    expect(code).toBe(1);
    expect(report?.job.status).toBe('succeeded');
    expect(report?.failures).toEqual([
      `the Job read state marker '${'e'.repeat(64)}' from claim jobintel-state, not the restored ${MARKER}`,
    ]);
  });

  it('fails when the CronJob does not mount the state claim', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    withStateVolume(sandbox, MARKER, 'scratch');
    const { report } = sandbox.run('validate.sh', { ...BASE, ...JOB, ...STATE });
    expect(report?.failures).toEqual([
      'cannot check the state marker: CronJob jobintel-daily does not mount the claim jobintel-state',
    ]);
  });

  it('fails when the state claim is not Bound', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const { report } = sandbox.run('validate.sh', { ...BASE, STANDBY_STATE_CLAIM: 'jobintel-state' });
    expect(report?.failures).toEqual(['claim jobintel-state is not Bound in namespace jobintel']);
  });

  it('fails when a CronJob is active before activation', () => {
    const sandbox = new RunnerSandbox({ cluster: 'restored' });
    const cronjob = sandbox.object('CronJob', 'jobintel', 'jobintel-hourly') as Loose;
    cronjob.spec.suspend = false;
    sandbox.seed([cronjob]);
    const { report } = sandbox.run('validate.sh', BASE);
    expect(report?.cronjobs.active).toEqual(['jobintel-hourly']);
    expect(report?.failures).toEqual([
      'CronJob jobintel-hourly is not suspended: it would run before activation',
    ]);
  });
});
