import { summarizeExecutions } from '../../backup/open-executions.js';
import { deleteBackup, planPrune, surveyBackups } from '../../backup/prune.js';
import { outputsOf } from '../../receipts/outputs.js';
import { markdownTable } from '../../util/markdown.js';
import type { PhaseContext, PhaseResult } from '../phase.js';
import type { PruneInputs } from './inputs.js';
import type { BackupPruneOutput } from './outputs.js';

export async function run(input: PruneInputs, ctx: PhaseContext): Promise<PhaseResult<BackupPruneOutput>> {
  const now = ctx.now();
  const survey = await surveyBackups(ctx.aws.s3, input.prefix, input.maxCandidates, now);
  for (const [id, why] of survey.inFuture) ctx.io.warning(`${id}: ${why}`);
  for (const [id, why] of survey.unknown) ctx.io.warning(`${id}: not assessed: ${why}`);
  if (!input.executions) ctx.io.warning('no receipt bucket: open DR executions are not known (dry run only)');
  let executions: Awaited<ReturnType<typeof summarizeExecutions>> = [];
  if (input.executions) {
    // restore-precheck's output schema (zod) loads only to read the executions (issue 24.4).
    const { RestorePrecheckOutputs } = await import('../restore-precheck/outputs.js');
    executions = await summarizeExecutions(
      ctx.aws.s3,
      input.executions,
      now,
      input.policy.openDays,
      (receipt) => outputsOf(RestorePrecheckOutputs, receipt)['backup-uri'],
    );
  }
  const { decisions } = planPrune(survey, executions, input.policy, now);
  const listed = (d: { backupId: string; reasons: string[] }) => ({
    backup_id: d.backupId,
    reasons: d.reasons,
  });
  const toDelete = decisions.filter((d) => d.action === 'delete');
  const kept = decisions.filter((d) => d.action === 'keep').map(listed);
  const outputs = {
    mode: input.apply ? ('applied' as const) : ('dry-run' as const),
    'newest-good': survey.newestGood ?? '',
    kept,
    deleted: toDelete.map(listed),
    'open-executions': executions.filter((e) => !e.tornDown).map((e) => e.executionId),
  };
  if (survey.unassessed) {
    // Unknown is not bad: without knowing which backup is the newest good one, deleting could remove it.
    return {
      status: 'failed',
      outputs: { ...outputs, deleted: [] },
      summary: render(outputs.mode, kept, [], survey.passedOver),
      failure: {
        reason: 'backup_unavailable',
        message: `nothing deleted: ${survey.unassessed}; run prune again when S3 answers`,
      },
    };
  }
  if (!survey.newestGood && survey.metadata.size > 0) {
    // Something is wrong with every recent backup: deleting old ones now could leave nothing usable.
    return {
      status: 'failed',
      outputs: { ...outputs, deleted: [] },
      summary: render(outputs.mode, kept, [], survey.passedOver),
      failure: {
        reason: 'no_good_backup',
        message: `no good backup among the newest ${input.maxCandidates} under ${input.prefix.uri}: nothing deleted (${[...survey.passedOver.entries()].map(([id, why]) => `${id}: ${why}`).join('; ')})`,
      },
    };
  }
  if (input.apply)
    for (const decision of toDelete) {
      const backup = survey.listing.find((b) => b.location.backupId === decision.backupId);
      if (!backup) continue;
      ctx.io.info(`deleting ${backup.location.uri} (${decision.reasons.join('; ')})`);
      await deleteBackup(ctx.aws.s3, backup);
    }
  else ctx.io.info(`dry run: ${toDelete.length} backup(s) would be deleted; run with apply=true to delete`);
  return { status: 'ok', outputs, summary: render(outputs.mode, kept, outputs.deleted, survey.passedOver) };
}

function render(
  mode: string,
  kept: { backup_id: string; reasons: string[] }[],
  deleted: { backup_id: string; reasons: string[] }[],
  passedOver: Map<string, string>,
): string {
  const verb = mode === 'applied' ? 'deleted' : 'would delete';
  const rows = [
    ...kept.map((k) => [k.backup_id, 'keep', k.reasons.join('; ')]),
    ...deleted.map((d) => [d.backup_id, verb, d.reasons.join('; ')]),
  ].sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? 1 : -1));
  const lines = [
    mode === 'applied'
      ? `Applied: ${deleted.length} backup(s) deleted.`
      : `Dry run: ${deleted.length} backup(s) would be deleted; nothing was.`,
    '',
    markdownTable(['Backup', 'Action', 'Why'], rows.length ? rows : [['—', '—', 'no backups']]),
  ];
  if (passedOver.size > 0)
    lines.push('', `Not good: ${[...passedOver.entries()].map(([id, why]) => `${id} (${why})`).join('; ')}`);
  return lines.join('\n');
}
