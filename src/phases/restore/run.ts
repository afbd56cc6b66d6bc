import { s3ReadsOfCliDownloads } from '../../cost/cli-downloads.js';
import type { RestoreReport } from '../../runner/restore-report.js';
import { runnerTargetEnv } from '../../runner/target-env.js';
import { markdownTable } from '../../util/markdown.js';
import { InputError } from '../../validation/errors.js';
import { checkedResult, type PhaseContext, type PhaseResult } from '../phase.js';
import { runRunnerScript } from '../script-runner.js';
import { type BackupChoice, chooseBackup } from './backup-choice.js';
import type { RestoreInputs } from './inputs.js';
import type { RestoreOutput } from './outputs.js';

export async function run(inputs: RestoreInputs, ctx: PhaseContext): Promise<PhaseResult<RestoreOutput>> {
  const receipts = ctx.receipts && (await ctx.receipts.list()).flatMap((r) => (r.receipt ? [r.receipt] : []));
  let choice: BackupChoice;
  try {
    choice = await chooseBackup(inputs.backup, receipts);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return {
      status: 'failed',
      outputs: {},
      summary: '',
      failure: { message: error.message, reason: 'invalid_input' },
    };
  }
  const chosen = { 'backup-uri': choice.backup.uri, 'backup-source': choice.source };
  if (ctx.target.kind === 'eks' && !inputs.loaderImage)
    return {
      status: 'failed',
      outputs: chosen,
      summary: '',
      failure: {
        message:
          'loader-image is required on an eks target: the digest-pinned image of the pod that loads the state into the claim',
        reason: 'invalid_input',
      },
    };
  const env: Record<string, string> = {
    ...runnerTargetEnv(ctx.target.kind, ctx.executionId),
    STANDBY_BACKUP_URI: choice.backup.uri,
    STANDBY_RESTORE_PATH: inputs.restorePath,
    STANDBY_NAMESPACE: inputs.namespace,
    STANDBY_STATE_CLAIM: inputs.stateClaim,
    STANDBY_WAIT_SECONDS: String(inputs.waitSeconds),
    STANDBY_UNDECLARED_CAP: inputs.undeclaredSizeCap,
    ...(inputs.stateOwner ? { STANDBY_STATE_OWNER: inputs.stateOwner } : {}),
    ...(inputs.controlPlaneUri ? { STANDBY_CONTROL_PLANE_URI: inputs.controlPlaneUri } : {}),
    ...(ctx.target.kind === 'eks'
      ? { STANDBY_STORAGE_CLASS: inputs.storageClass, STANDBY_LOADER_IMAGE: inputs.loaderImage ?? '' }
      : {}),
  };
  // The report's schema (zod) loads as the phase runs, not as it starts (issue 24.4).
  const { RestoreReportSchema, restoreProblems } = await import('../../runner/restore-report.js');
  ctx.io.info(
    `Restoring ${choice.backup.uri} (${choice.source === 'input' ? 'as given' : "restore-precheck's choice"}) on ${inputs.instanceId} into ${inputs.restorePath}`,
  );
  const ran = await runRunnerScript(
    ctx,
    { script: 'restore.sh', instanceId: inputs.instanceId, env, timeoutSeconds: inputs.timeoutSeconds },
    RestoreReportSchema,
  );
  if ('failure' in ran)
    return {
      status: 'failed',
      outputs: { ...chosen, 'ssm-command-id': ran.commandId },
      summary: '',
      failure: ran.failure,
    };
  const { report } = ran;
  const outputs = {
    ...chosen,
    'files-restored': report.files_restored,
    'manifests-applied': report.manifests_applied,
    applied: report.applied,
    'state-volume': report.state?.volume ?? '',
    'state-marker': report.state?.marker ?? '',
    'control-plane-applied': report.control_plane_applied,
    cronjobs: report.cronjobs,
    held: report.held.map((h) => `${h.kind}/${h.name}`),
    report,
    'ssm-command-id': ran.commandId,
    // What the runner read from S3, for the drill's cost (restore.sh lists each download's bytes).
    's3-reads': s3ReadsOfCliDownloads(report.downloads),
  };
  const problems = restoreProblems(report, inputs.controlPlaneUri !== undefined, ctx.target.kind);
  const summary = renderRestore(report);
  return checkedResult(outputs, summary, problems, 'restore_failed');
}

/** What activation will restore, in words: "3 replicas", "not suspended", "node selector {…}". */
function describeHeld(original: unknown): string {
  const o = (original ?? {}) as { replicas?: number; suspend?: boolean; nodeSelector?: unknown };
  if (o.replicas !== undefined) return `${o.replicas} replica(s) at activation`;
  if (o.suspend !== undefined) return o.suspend ? 'stays suspended' : 'runs at activation';
  if ('nodeSelector' in o) return `node selector ${JSON.stringify(o.nodeSelector)} at activation`;
  return 'held';
}

function renderRestore(report: RestoreReport): string {
  const rows = [
    ['Artifacts verified on the runner', report.verified.map((v) => v.name).join(', ') || 'none'],
    ['Files restored', String(report.files_restored)],
    [
      'State volume',
      report.state
        ? `${report.state.volume ?? 'no volume yet'}${report.state.path ? ` at ${report.state.path}` : ''}${report.state.storage_class ? ` (storage class ${report.state.storage_class}, loaded by ${report.state.loader?.pod ?? 'no loader'}${report.state.loader?.deleted ? ', deleted' : ''})` : ''}, claim ${report.state.claim} ${report.state.bound ? 'Bound' : 'not bound'}, mounted by ${report.state.claimants.join(', ') || 'nothing'}`
        : 'not reached',
    ],
    [
      'State marker',
      report.state?.marker
        ? `${report.state.marker.slice(0, 16)}… (${report.state.marker_verified ? 'matches metadata.json' : 'not declared'})`
        : 'none',
    ],
    [
      'Objects applied (server-side, dependency order)',
      `${report.manifests_applied}${report.applied_truncated ? ' (list truncated)' : ''}: ${report.applied.join(', ')}`,
    ],
    ['Control-plane bundle', report.control_plane_applied ? 'applied' : 'not applied'],
    ['CronJobs (suspended until activation)', report.cronjobs.join(', ') || 'none'],
    [
      'Held until activation (nothing runs by itself)',
      report.held.map((h) => `${h.kind}/${h.name} (${describeHeld(h.original)})`).join(', ') ||
        'no workloads',
    ],
  ];
  if (report.cluster_owned.length > 0)
    rows.push(['Left to the cluster (must already be there)', report.cluster_owned.join(', ')]);
  if (report.pinning)
    rows.push([
      'Pinned to the execution’s node group',
      `node selector ${JSON.stringify(report.pinning.node_selector)}, toleration ${JSON.stringify(report.pinning.toleration)}: ${report.pinning.workloads.join(', ') || 'no workloads'}`,
    ]);
  if (!report.ok) rows.push(['Failed at', `${report.step}: ${report.error ?? ''}`]);
  return markdownTable(['Restore', 'Result'], rows);
}
