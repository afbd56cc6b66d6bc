import { type PhaseName, PIPELINE_PHASES } from '../receipts/envelope.js';
import type { PipelinePhase } from '../receipts/phase-names.js';
import { DEMO_BACKUP, DEMO_IMAGE } from './demo-backup.js';
import { DEMO } from './demo-publisher.js';

export interface RehearsalStep {
  phase: PhaseName;
  inputs: Record<string, string>;
  /** Set for phases that need real infrastructure: recorded as skipped with this reason, never faked. */
  notRun?: string;
}

const NEEDS_RUNNER = 'needs the k3s runner reached through SSM Run Command; the emulator runs no commands';

/** How the local rehearsal runs each pipeline phase: its inputs, or why it cannot run here. */
type LocalStep = Omit<RehearsalStep, 'phase'>;

/**
 * The pipeline (docs/architecture.md) as the local rehearsal drives it: every pipeline phase of the
 * catalogue, in its order (PIPELINE_PHASES); a typed record, so a new pipeline phase cannot be left out.
 * Pure: the same plan every time.
 */
export function rehearsalPlan(context: {
  backupUri: string;
  /** The backups prefix: restore-precheck takes the newest good backup under it, as the workflows do. */
  backupPrefix: string;
  topicArn: string;
  triggeredAt: Date;
  /** restore-precheck's verify-key (a negative drill about signatures): the deployment's signing key. */
  verifyKey?: string;
}): RehearsalStep[] {
  const steps = localSteps(context);
  return PIPELINE_PHASES.map((phase) => ({ phase, ...steps[phase] }));
}

function localSteps(context: Parameters<typeof rehearsalPlan>[0]): Record<PipelinePhase, LocalStep> {
  return {
    'check-health': {
      inputs: {
        'publish-bucket': DEMO.publishBucket,
        'publish-prefix': DEMO.publishPrefix,
        providers: DEMO.pairs.join(','),
        'expected-marker-file': DEMO.markerFile,
        'force-run': 'true',
      },
    },
    'restore-precheck': {
      inputs: {
        'backup-uri': context.backupPrefix,
        ...(context.verifyKey ? { 'verify-key': context.verifyKey } : {}),
      },
    },
    bringup: { inputs: {}, notRun: 'Terraform apply of the EC2 runner needs a real AWS account' },
    'resolve-runner': { inputs: {}, notRun: 'no runner instance exists: bringup did not run' },
    restore: {
      inputs: {
        'backup-uri': context.backupUri,
        namespace: DEMO_BACKUP.namespace,
        'state-claim': DEMO_BACKUP.stateClaim,
      },
      notRun: NEEDS_RUNNER,
    },
    validate: {
      inputs: {
        namespace: DEMO_BACKUP.namespace,
        cronjobs: DEMO_BACKUP.cronjobs.join(','),
        'state-claim': DEMO_BACKUP.stateClaim,
      },
      notRun: NEEDS_RUNNER,
    },
    notify: {
      inputs: {
        'topic-arn': context.topicArn,
        event: 'drill-complete',
        details: JSON.stringify({
          mode: 'local rehearsal',
          not_run: ['bringup', 'resolve-runner', 'restore', 'validate', 'promote', 'teardown'],
        }),
      },
    },
    'request-approval': {
      inputs: {
        'topic-arn': context.topicArn,
        'image-ref': DEMO_IMAGE,
        'triggered-at': context.triggeredAt.toISOString(),
      },
    },
    promote: {
      inputs: {},
      notRun:
        'the promotion gate is a protected GitHub environment; decide a real run with `standby approve`',
    },
    teardown: { inputs: {}, notRun: 'nothing was brought up' },
  };
}

/**
 * The plan-only drill: check-health, restore-precheck and a Terraform plan of the runner, no apply.
 * Locally the plan is recorded as not run (no Terraform AWS provider or account here).
 */
export function planOnlySteps(context: { backupUri: string; backupPrefix: string }): RehearsalStep[] {
  const [checkHealth, precheck] = rehearsalPlan({ ...context, topicArn: '', triggeredAt: new Date(0) });
  return [
    checkHealth as RehearsalStep,
    precheck as RehearsalStep,
    {
      phase: 'bringup',
      inputs: { 'plan-only': 'true' },
      notRun: 'Terraform plan of the EC2 runner needs the AWS provider and a real account',
    },
  ];
}
