import { AwsClients } from '../aws/clients.js';
import { writePlanBundle } from '../evidence/plan-bundle-io.js';
import { S3ReceiptStore } from '../receipts/store.js';
import { DEFAULT_TARGET, type Target } from '../targets/target.js';
import { seedDemoBackup } from './demo-backup.js';
import { DEMO, seedDemoPublisher } from './demo-publisher.js';
import { planOnlySteps } from './rehearsal-plan.js';
import { runSteps, type TimelineEntry, targetInputs } from './run-steps.js';

export interface PlanRehearsalReport {
  executionId: string;
  target: Target;
  timeline: TimelineEntry[];
  bundleDir: string;
  bundleFiles: string[];
}

/** `standby drill --local --plan`: the plan-only drill on the emulator, ending in a plan bundle. */
export async function runPlanRehearsal(options: {
  /** Clients for the emulator (emulatorAws), or the default chain. */
  aws?: AwsClients;
  executionId: string;
  bundleDir: string;
  /** The target to rehearse (default: `default` on k3s). */
  target?: Target;
  progress: (line: string) => void;
}): Promise<PlanRehearsalReport> {
  const aws = options.aws ?? new AwsClients();
  const target = options.target ?? DEFAULT_TARGET;
  const now = new Date();
  await seedDemoPublisher(aws.s3, now);
  const backup = await seedDemoBackup(aws.s3, now);
  options.progress(`seeded demo publisher and backup ${backup.uri}`);
  const { timeline } = await runSteps(
    planOnlySteps({ backupUri: backup.uri, backupPrefix: backup.prefix, targetKind: target.kind }),
    {
      'execution-id': options.executionId,
      'receipt-bucket': DEMO.receiptBucket,
      ...targetInputs(target),
    },
    aws,
    options.progress,
  );
  const store = new S3ReceiptStore(aws.s3, {
    bucket: DEMO.receiptBucket,
    prefix: 'standby/receipts',
    executionId: options.executionId,
  });
  const bundle = await writePlanBundle(store, options.bundleDir);
  return {
    executionId: options.executionId,
    target,
    timeline,
    bundleDir: bundle.outDir,
    bundleFiles: bundle.files,
  };
}
