import { type PhaseName, PIPELINE_PHASES } from '../receipts/envelope.js';
import type { PipelinePhase } from '../receipts/phase-names.js';
import type { TargetKind } from '../targets/target.js';
import { DEMO_BACKUP, DEMO_IMAGE } from './demo-backup.js';
import { DEMO } from './demo-publisher.js';

export interface RehearsalStep {
  phase: PhaseName;
  inputs: Record<string, string>;
  /** Set for phases that need real infrastructure: recorded as skipped with this reason, never faked. */
  notRun?: string;
}

/**
 * Why each phase that needs real infrastructure does not run here, per target kind: what a real run of
 * that kind does there, so an eks rehearsal never reads as if the cluster had been touched.
 */
export const NOT_RUN_REASONS: Record<
  TargetKind,
  Record<'bringup' | 'bringupPlan' | 'restore' | 'validate' | 'teardown', string>
> = {
  k3s: {
    bringup: 'Terraform apply of the EC2 runner needs a real AWS account',
    bringupPlan: 'Terraform plan of the EC2 runner needs the AWS provider and a real account',
    restore: 'needs the k3s runner reached through SSM Run Command; the emulator runs no commands',
    validate: 'needs the k3s runner reached through SSM Run Command; the emulator runs no commands',
    teardown: 'nothing was brought up',
  },
  eks: {
    bringup:
      "eks: Terraform (terraform/runner, target_kind eks) would apply the runner and this execution's own ARM managed node group in the existing EKS cluster; needs a real AWS account and cluster",
    bringupPlan:
      "eks: Terraform plan of the runner and this execution's ARM managed node group needs the AWS provider, a real account and the EKS cluster",
    restore:
      "eks: restore.sh would run on the runner through SSM Run Command with kubectl against the EKS cluster: the state claim gets a new volume from the storage class, a digest-pinned loader pod streams the checked state in and is deleted, and the workloads are pinned to this execution's node group; the emulator runs no commands and has no cluster",
    validate:
      'eks: validate.sh would run on the runner through SSM Run Command with kubectl against the EKS cluster, reading the state marker through the claim; the emulator runs no commands and has no cluster',
    teardown:
      "nothing was brought up (on eks teardown destroys this execution's runner and node group, never the cluster)",
  },
};

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
  /** What the rehearsed target restores onto: it decides what the not-run phases say a real run does. */
  targetKind: TargetKind;
}): RehearsalStep[] {
  const steps = localSteps(context);
  return PIPELINE_PHASES.map((phase) => ({ phase, ...steps[phase] }));
}

function localSteps(context: Parameters<typeof rehearsalPlan>[0]): Record<PipelinePhase, LocalStep> {
  const notRun = NOT_RUN_REASONS[context.targetKind];
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
    bringup: { inputs: {}, notRun: notRun.bringup },
    'resolve-runner': { inputs: {}, notRun: 'no runner instance exists: bringup did not run' },
    restore: {
      inputs: {
        'backup-uri': context.backupUri,
        namespace: DEMO_BACKUP.namespace,
        'state-claim': DEMO_BACKUP.stateClaim,
      },
      notRun: notRun.restore,
    },
    validate: {
      inputs: {
        namespace: DEMO_BACKUP.namespace,
        cronjobs: DEMO_BACKUP.cronjobs.join(','),
        'state-claim': DEMO_BACKUP.stateClaim,
      },
      notRun: notRun.validate,
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
    teardown: { inputs: {}, notRun: notRun.teardown },
  };
}

/**
 * The plan-only drill: check-health, restore-precheck and a Terraform plan of the runner, no apply.
 * Locally the plan is recorded as not run (no Terraform AWS provider or account here).
 */
export function planOnlySteps(context: {
  backupUri: string;
  backupPrefix: string;
  targetKind: TargetKind;
}): RehearsalStep[] {
  const [checkHealth, precheck] = rehearsalPlan({ ...context, topicArn: '', triggeredAt: new Date(0) });
  return [
    checkHealth as RehearsalStep,
    precheck as RehearsalStep,
    {
      phase: 'bringup',
      inputs: { 'plan-only': 'true' },
      notRun: NOT_RUN_REASONS[context.targetKind].bringupPlan,
    },
  ];
}
