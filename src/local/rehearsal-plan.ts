import type { PhaseName } from '../receipts/envelope.js';
import { DEMO_BACKUP } from './demo-backup.js';
import { DEMO } from './demo-publisher.js';

export interface RehearsalStep {
  phase: PhaseName;
  inputs: Record<string, string>;
  /** Set for phases that need real infrastructure: recorded as skipped with this reason, never faked. */
  notRun?: string;
}

const NEEDS_RUNNER = 'needs the k3s runner reached through SSM Run Command; the emulator runs no commands';

/** The pipeline of SPEC §2 as the local rehearsal drives it, in order. Pure: the same plan every time. */
export function rehearsalPlan(context: { backupUri: string; topicArn: string; triggeredAt: Date }): RehearsalStep[] {
  const image = `registry.example.com/jobintel@sha256:${'0'.repeat(64)}`;
  return [
    {
      phase: 'check-health',
      inputs: {
        'publish-bucket': DEMO.publishBucket,
        'publish-prefix': DEMO.publishPrefix,
        providers: DEMO.pairs.join(','),
        'expected-marker-file': DEMO.markerFile,
        'force-run': 'true',
      },
    },
    { phase: 'restore-precheck', inputs: { 'backup-uri': context.backupUri } },
    { phase: 'bringup', inputs: {}, notRun: 'Terraform apply of the EC2 runner needs a real AWS account' },
    { phase: 'resolve-runner', inputs: {}, notRun: 'no runner instance exists: bringup did not run' },
    { phase: 'restore', inputs: { 'backup-uri': context.backupUri, namespace: DEMO_BACKUP.namespace }, notRun: NEEDS_RUNNER },
    { phase: 'validate', inputs: { namespace: DEMO_BACKUP.namespace, cronjobs: DEMO_BACKUP.cronjobs.join(',') }, notRun: NEEDS_RUNNER },
    {
      phase: 'notify',
      inputs: {
        'topic-arn': context.topicArn,
        event: 'drill-complete',
        details: JSON.stringify({ mode: 'local rehearsal', not_run: ['bringup', 'resolve-runner', 'restore', 'validate', 'promote', 'teardown'] }),
      },
    },
    {
      phase: 'request-approval',
      inputs: { 'topic-arn': context.topicArn, 'image-ref': image, 'triggered-at': context.triggeredAt.toISOString() },
    },
    { phase: 'promote', inputs: {}, notRun: 'the promotion gate is a protected GitHub environment; decide a real run with `standby approve`' },
    { phase: 'teardown', inputs: {}, notRun: 'nothing was brought up' },
  ];
}
