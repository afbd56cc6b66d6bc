import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { AwsClients } from '../aws/clients.js';
import type { DrillCost } from '../cost/estimate.js';
import { DRILL_REQUIRED_PHASES } from '../evidence/bundle.js';
import { readBundleDir } from '../evidence/bundle-files.js';
import { type CheckReport, checkBundle, DEFAULT_CHECK_OPTIONS } from '../evidence/check.js';
import { collectEvidence } from '../evidence/collect.js';
import type { ReviewPreview } from '../preview/summary.js';
import { S3ReceiptStore } from '../receipts/store.js';
import { DEFAULT_TARGET, type Target } from '../targets/target.js';
import { DEMO_BACKUP, seedDemoBackup } from './demo-backup.js';
import { DEMO, seedDemoPublisher } from './demo-publisher.js';
import { DrillAlarm } from './drill-alarm.js';
import { startGitHubStandIn } from './github-stand-in.js';
import {
  judgeNegativeDrill,
  type LocalFaultKind,
  type NegativeDrillVerdict,
  type PlantedFault,
} from './negative-drill.js';
import { FORGED_EXECUTION, FORGED_RUN, plantFault } from './plant-fault.js';
import { rehearsalPlan } from './rehearsal-plan.js';
import { runSteps, type TimelineEntry, targetInputs } from './run-steps.js';

export type { TimelineEntry } from './run-steps.js';

export interface RehearsalReport {
  executionId: string;
  /** The target rehearsed: every receipt of the execution records it (runPhase's target inputs). */
  target: Target;
  endpoint: string;
  timeline: TimelineEntry[];
  receiptsAt: string;
  /** Trigger (the alarm going to ALARM) → approval-ready (request-approval's receipt), measured. */
  rtoSeconds: number | null;
  /** Backup age when restore-precheck checked it. */
  rpoHours: number | null;
  evidenceDir: string;
  evidence: CheckReport;
  /** Set for a negative drill (--fault): whether the pipeline refused or fell back exactly as designed. */
  negative?: NegativeDrillVerdict;
  /** The restore preview the reviewer summary carried (issue 23.4), when request-approval ran. */
  restorePreview?: ReviewPreview;
  /** The drill's cost as its report receipt (notify drill-complete) recorded it. */
  cost?: DrillCost;
}

/**
 * The local rehearsal (docs/cli.md, `standby drill --local`): seeds a stale demo publisher and a backup on the emulator, raises the
 * NeedsDR alarm, drives every phase through runPhase (the actions' code), records the phases that need
 * real infrastructure as not run, then collects and checks the evidence bundle.
 */
export async function runRehearsal(options: {
  endpoint: string;
  /** Clients for the emulator at `endpoint` (emulatorAws), or the default chain. */
  aws?: AwsClients;
  executionId: string;
  evidenceDir?: string;
  /** Plants this fault first: a negative drill (src/local/negative-drill.ts). */
  fault?: LocalFaultKind;
  /** The target to rehearse (default: `default` on k3s); on eks the cluster's phases are not run. */
  target?: Target;
  progress: (line: string) => void;
}): Promise<RehearsalReport> {
  const { progress, executionId } = options;
  const target = options.target ?? DEFAULT_TARGET;
  const aws = options.aws ?? new AwsClients();
  const now = new Date();
  await seedDemoPublisher(aws.s3, now);
  const backup = await seedDemoBackup(aws.s3, now);
  progress(
    `seeded demo publisher s3://${DEMO.publishBucket}/${DEMO.publishPrefix} (last success ${DEMO.staleHours} h ago) and backup ${backup.uri}`,
  );
  const planted = options.fault ? await plantFault(aws, options.fault, now) : undefined;
  if (planted) progress(`negative drill: planted ${planted.kind} in backup ${planted.backupId}`);
  const sns = aws.client('sns', (c) => new SNSClient(c));
  const topicArn =
    (await sns.send(new CreateTopicCommand({ Name: 'standby-demo-notifications' }))).TopicArn ?? '';
  const { alarm, trigger } = await raiseDemoAlarm(aws, progress);

  const common = {
    'execution-id': executionId,
    'receipt-bucket': DEMO.receiptBucket,
    ...targetInputs(target),
  };
  const { timeline, outputs } = await runSteps(
    rehearsalPlan({
      backupUri: backup.uri,
      backupPrefix: backup.prefix,
      topicArn,
      triggeredAt: trigger.at,
      verifyKey: planted?.verifyKey,
      targetKind: target.kind,
    }),
    common,
    aws,
    progress,
  );

  if (planted?.forgedExecutionId) {
    const attempt = await activateForged(aws, target, progress);
    timeline.push(...attempt.timeline);
    Object.assign(outputs, attempt.outputs);
  }

  await alarm.set('OK', 'standby drill --local: drill finished');
  const { evidenceDir, evidence } = await collectAndCheck(aws, executionId, alarm, options.evidenceDir);
  const { restorePreview } = restorePreviewOf(outputs['request-approval']?.['summary-json']);
  const negative =
    planted && (await judgeAndRecord(planted, { timeline, outputs, restorePreview }, evidenceDir));
  const approvalReady = timeline.some((t) => t.phase === 'request-approval' && t.status === 'ok');
  const measured = (raw: string | undefined) =>
    raw === undefined || raw === '' || !Number.isFinite(Number(raw)) ? null : Number(raw);
  return {
    executionId,
    target,
    endpoint: options.endpoint,
    timeline,
    receiptsAt: `s3://${DEMO.receiptBucket}/standby/receipts/${executionId}/`,
    rtoSeconds: approvalReady ? measured(outputs['request-approval']?.['rto-seconds']) : null,
    rpoHours: measured(outputs['restore-precheck']?.['backup-age-hours']),
    evidenceDir,
    evidence,
    ...(negative ? { negative } : {}),
    ...(restorePreview ? { restorePreview } : {}),
    ...(outputs.notify?.cost ? { cost: JSON.parse(outputs.notify.cost) as DrillCost } : {}),
  };
}

/** The demo NeedsDR alarm, created in OK and set to ALARM: the drill's simulated trigger. */
async function raiseDemoAlarm(aws: AwsClients, progress: (line: string) => void) {
  const alarm = new DrillAlarm(
    aws.client('cloudwatch', (c) => new CloudWatchClient(c)),
    'standby-demo-needs-dr',
    [{ Name: 'Pipeline', Value: `${DEMO.publishBucket}/${DEMO.publishPrefix}` }],
  );
  await alarm.create();
  await alarm.set('OK', 'standby drill --local: baseline before the drill');
  const trigger = await alarm.set('ALARM', 'standby drill --local: simulated trigger (SetAlarmState)');
  progress(`alarm ${alarm.name} → ALARM at ${trigger.at.toISOString()}`);
  return { alarm, trigger };
}

/**
 * The forged-approval drill's act: `standby activate` on the execution holding the forged approval, with
 * the rehearsal's GitHub stand-in as the API (the run exists; nobody reviewed its environment). The
 * runner, namespace and CronJobs are given, so nothing but the approval can stop it.
 */
async function activateForged(aws: AwsClients, target: Target, progress: (line: string) => void) {
  const github = await startGitHubStandIn(FORGED_RUN);
  try {
    return await runSteps(
      [
        {
          phase: 'activate',
          inputs: {
            'execution-id': FORGED_EXECUTION,
            confirm: FORGED_EXECUTION,
            'instance-id': 'i-0f0f0f0f0f0f0f0f0',
            namespace: DEMO_BACKUP.namespace,
            cronjobs: DEMO_BACKUP.cronjobs.join(','),
            'github-token': 'standby-drill-local-stand-in',
            repository: FORGED_RUN.repository,
            'api-url': github.url,
          },
        },
      ],
      { 'receipt-bucket': DEMO.receiptBucket, ...targetInputs(target) },
      aws,
      progress,
    );
  } finally {
    await github.close();
  }
}

/** The negative drill's verdict, written beside the bundle (the bundle itself is what the receipts say). */
async function judgeAndRecord(
  planted: PlantedFault,
  run: {
    timeline: TimelineEntry[];
    outputs: Record<string, Record<string, string>>;
    restorePreview?: ReviewPreview;
  },
  evidenceDir: string,
): Promise<NegativeDrillVerdict> {
  const verdict = judgeNegativeDrill(planted, {
    timeline: run.timeline,
    candidates: candidatesOf(run.outputs),
    outputs: run.outputs,
    ...(run.restorePreview ? { preview: run.restorePreview } : {}),
  });
  await writeFile(
    path.join(path.dirname(evidenceDir), 'negative-drill.json'),
    `${JSON.stringify(verdict, null, 2)}\n`,
  );
  return verdict;
}

/** The reviewer summary's restore preview, from request-approval's `summary-json` output. */
function restorePreviewOf(summaryJson: string | undefined): { restorePreview?: ReviewPreview } {
  if (!summaryJson) return {};
  const summary = JSON.parse(summaryJson) as { restore_preview?: ReviewPreview };
  return summary.restore_preview ? { restorePreview: summary.restore_preview } : {};
}

/** Collects the execution's evidence bundle (with the alarm's history beside it) and checks it. */
async function collectAndCheck(aws: AwsClients, executionId: string, alarm: DrillAlarm, given?: string) {
  const evidenceDir = given ?? path.join(await mkdtemp(path.join(tmpdir(), 'standby-drill-')), 'evidence');
  const historyFile = path.join(path.dirname(evidenceDir), `${alarm.name}.history.json`);
  await writeFile(historyFile, alarm.historyDocument());
  const store = new S3ReceiptStore(aws.s3, {
    bucket: DEMO.receiptBucket,
    prefix: 'standby/receipts',
    executionId,
  });
  await collectEvidence({ receipts: store, outDir: evidenceDir, alarmHistoryFiles: [historyFile] });
  const evidence = checkBundle(await readBundleDir(evidenceDir), {
    ...DEFAULT_CHECK_OPTIONS,
    require: DRILL_REQUIRED_PHASES,
    acceptEmulator: true,
  });
  return { evidenceDir, evidence };
}

/** restore-precheck's `candidates` output, as the negative-drill judge reads it ([] when it did not say). */
function candidatesOf(
  outputs: Record<string, Record<string, string>>,
): { backup_id: string; verdict: string }[] {
  try {
    const parsed: unknown = JSON.parse(outputs['restore-precheck']?.candidates ?? '[]');
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
