import { type ScriptRunner, ssmScriptRunner } from '../../aws/ssm-runner.js';
import { parseRunnerReport, ReportError } from '../../runner/report.js';
import { type RestoreReport, RestoreReportSchema, restoreProblems } from '../../runner/restore-report.js';
import type { PhaseContext, PhaseDefinition } from '../phase.js';
import { markdownTable } from '../summary.js';
import { parseRestoreInputs, type RestoreInputs, restoreInputs } from './inputs.js';

/** A factory so tests can hand in the ScriptRunner (see ssm-runner.ts); production uses SSM Run Command. */
export function createRestorePhase(
  runnerFor: (ctx: PhaseContext) => ScriptRunner = (ctx) =>
    ssmScriptRunner(ctx.aws, { progress: (m) => ctx.io.info(m) }),
): PhaseDefinition<RestoreInputs> {
  return {
    name: 'restore',
    title: 'Restore the backup on the runner',
    description:
      'Downloads, re-verifies and extracts the backup on the runner and applies its manifests to k3s, through SSM.',
    branding: { icon: 'download-cloud', color: 'green' },
    inputs: restoreInputs,
    outputs: {
      'files-restored': { description: 'Regular files extracted from state.tar.zst' },
      'manifests-applied': { description: 'Kubernetes objects applied (server-side, in dependency order)' },
      applied: { description: 'JSON list of Kind/namespace/name applied, in order' },
      'state-volume': {
        description: 'The PersistentVolume holding the restored state, bound to state-claim',
      },
      'state-marker': { description: 'The marker found in the restored state ("" when the backup has none)' },
      'control-plane-applied': { description: 'true when the control-plane bundle was verified and applied' },
      cronjobs: {
        description: 'JSON list of CronJob names in the namespace after the restore (all suspended)',
      },
      report: { description: 'The runner report (JSON)' },
    },
    parseInputs: parseRestoreInputs,

    async run(inputs, ctx) {
      const env: Record<string, string> = {
        STANDBY_BACKUP_URI: inputs.backup.uri,
        STANDBY_RESTORE_PATH: inputs.restorePath,
        STANDBY_NAMESPACE: inputs.namespace,
        STANDBY_STATE_CLAIM: inputs.stateClaim,
        STANDBY_WAIT_SECONDS: String(inputs.waitSeconds),
        ...(inputs.stateOwner ? { STANDBY_STATE_OWNER: inputs.stateOwner } : {}),
        ...(inputs.controlPlaneUri ? { STANDBY_CONTROL_PLANE_URI: inputs.controlPlaneUri } : {}),
      };
      ctx.io.info(`Restoring ${inputs.backup.uri} on ${inputs.instanceId} into ${inputs.restorePath}`);
      const outcome = await runnerFor(ctx)({
        script: 'restore.sh',
        instanceId: inputs.instanceId,
        env,
        timeoutSeconds: inputs.timeoutSeconds,
      });
      let report: RestoreReport;
      try {
        report = parseRunnerReport(outcome, RestoreReportSchema, 'restore.sh');
      } catch (error) {
        if (error instanceof ReportError)
          return {
            status: 'failed',
            outputs: { 'ssm-command-id': outcome.commandId },
            summary: '',
            failure: { message: error.message, reason: error.reason },
          };
        throw error;
      }
      const outputs = {
        'files-restored': report.files_restored,
        'manifests-applied': report.manifests_applied,
        applied: report.applied,
        'state-volume': report.state?.volume ?? '',
        'state-marker': report.state?.marker ?? '',
        'control-plane-applied': report.control_plane_applied,
        cronjobs: report.cronjobs,
        report,
        'ssm-command-id': outcome.commandId,
      };
      const problems = restoreProblems(report, inputs.controlPlaneUri !== undefined);
      const summary = renderRestore(report);
      if (problems.length > 0)
        return {
          status: 'failed',
          outputs,
          summary,
          failure: { message: problems.join('; '), reason: 'restore_failed' },
        };
      return { status: 'ok', outputs, summary };
    },
  };
}

function renderRestore(report: RestoreReport): string {
  const rows = [
    ['Artifacts verified on the runner', report.verified.map((v) => v.name).join(', ') || 'none'],
    ['Files restored', String(report.files_restored)],
    [
      'State volume',
      report.state
        ? `${report.state.volume} at ${report.state.path}, claim ${report.state.claim} ${report.state.bound ? 'Bound' : 'not bound'}, mounted by ${report.state.claimants.join(', ') || 'nothing'}`
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
  ];
  if (!report.ok) rows.push(['Failed at', `${report.step}: ${report.error ?? ''}`]);
  return markdownTable(['Restore', 'Result'], rows);
}

export const restore = createRestorePhase();
