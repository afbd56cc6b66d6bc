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
      'manifests-applied': { description: 'Manifest files applied to k3s' },
      'control-plane-applied': { description: 'true when the control-plane bundle was verified and applied' },
      cronjobs: { description: 'JSON list of CronJob names in the namespace after the restore' },
      report: { description: 'The runner report (JSON)' },
    },
    parseInputs: parseRestoreInputs,

    async run(inputs, ctx) {
      const env: Record<string, string> = {
        STANDBY_BACKUP_URI: inputs.backup.uri,
        STANDBY_RESTORE_PATH: inputs.restorePath,
        STANDBY_NAMESPACE: inputs.namespace,
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
    ['Manifests applied', String(report.manifests_applied)],
    ['Control-plane bundle', report.control_plane_applied ? 'applied' : 'not applied'],
    ['CronJobs', report.cronjobs.join(', ') || 'none'],
  ];
  if (!report.ok) rows.push(['Failed at', `${report.step}: ${report.error ?? ''}`]);
  return markdownTable(['Restore', 'Result'], rows);
}

export const restore = createRestorePhase();
