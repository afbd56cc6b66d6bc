import { type BackupPrefix, parseBackupPrefix } from '../../backup/layout.js';
import { summarizeExecutions } from '../../backup/open-executions.js';
import { deleteBackup, planPrune, surveyBackups } from '../../backup/prune.js';
import { InputError } from '../../validation/errors.js';
import { parseBoolean, parseBucketName, parseKeyPrefix, parseNumber } from '../../validation/primitives.js';
import type { InputSpec, PhaseDefinition, PhaseResult } from '../phase.js';
import { markdownTable } from '../summary.js';

const inputs: Record<string, InputSpec> = {
  'backup-uri': { description: 'The backups prefix: s3://<bucket>/<prefix>/backups/.', required: true },
  'keep-daily': {
    description: 'Keep the newest backup of each of the last N days that have one.',
    default: '14',
  },
  'keep-weekly': {
    description: 'Keep the newest backup of each of the last M ISO weeks that have one.',
    default: '8',
  },
  apply: {
    description: 'Delete what the plan says (true/false). Default false: a dry run that deletes nothing.',
    default: 'false',
    boolean: true,
  },
  'executions-bucket': {
    description:
      "Bucket of the DR pipeline's receipts, read to find the backups open DR executions use. Default: receipt-bucket.",
  },
  'executions-prefix': {
    description: 'Key prefix of those receipts. Default: receipt-prefix.',
  },
  'open-days': {
    description:
      'An execution without a successful teardown counts as open until it has been quiet this long.',
    default: '31',
  },
  'incomplete-grace-hours': {
    description:
      'Unfinished backups (no metadata.json) younger than this are kept: they may still be uploading.',
    default: '24',
  },
  'max-candidates': { description: 'Newest backups checked to find the newest good one.', default: '5' },
};

interface PruneInputs {
  prefix: BackupPrefix;
  policy: { keepDaily: number; keepWeekly: number; incompleteGraceHours: number; openDays: number };
  apply: boolean;
  executions?: { bucket: string; prefix: string };
  maxCandidates: number;
}

function parse(read: (name: string) => string): PruneInputs {
  const bucket = read('executions-bucket').trim() || read('receipt-bucket').trim();
  const apply = parseBoolean('apply', read('apply'), false);
  if (apply && !bucket)
    throw new InputError(
      'executions-bucket',
      'is required with apply=true (or receipt-bucket): without the receipts, prune cannot tell which backups open DR executions use',
    );
  const count = (name: string, max: number) => parseNumber(name, read(name), { min: 0, max, integer: true });
  return {
    prefix: parseBackupPrefix('backup-uri', read('backup-uri')),
    policy: {
      keepDaily: count('keep-daily', 3660),
      keepWeekly: count('keep-weekly', 520),
      incompleteGraceHours: parseNumber('incomplete-grace-hours', read('incomplete-grace-hours'), {
        min: 1,
        max: 24 * 365,
      }),
      openDays: parseNumber('open-days', read('open-days'), { min: 1, max: 3660 }),
    },
    apply,
    executions: bucket
      ? {
          bucket: parseBucketName('executions-bucket', bucket),
          prefix: parseKeyPrefix('executions-prefix', read('executions-prefix') || read('receipt-prefix')),
        }
      : undefined,
    maxCandidates: parseNumber('max-candidates', read('max-candidates'), { min: 1, max: 50, integer: true }),
  };
}

export const backupPrune: PhaseDefinition<PruneInputs> = {
  name: 'backup-prune',
  title: 'Prune backups',
  description:
    'Applies the retention policy (N daily, M weekly) to the backups prefix; never deletes the newest good backup or one an open DR execution uses. Dry run unless apply.',
  branding: { icon: 'trash-2', color: 'orange' },
  inputs,
  outputs: {
    mode: { description: 'dry-run or applied' },
    'newest-good': { description: 'The newest good backup id (always kept)' },
    kept: { description: 'JSON array of {backup_id, reasons}' },
    deleted: { description: 'JSON array of {backup_id, reasons}: deleted (applied) or to delete (dry run)' },
  },
  parseInputs: parse,

  async run(input, ctx): Promise<PhaseResult> {
    const now = ctx.now();
    const survey = await surveyBackups(ctx.aws.s3, input.prefix, input.maxCandidates);
    if (!input.executions)
      ctx.io.warning('no receipt bucket: open DR executions are not known (dry run only)');
    const executions = input.executions
      ? await summarizeExecutions(ctx.aws.s3, input.executions, now, input.policy.openDays)
      : [];
    const { decisions } = planPrune(survey, executions, input.policy, now);
    const toDelete = decisions.filter((d) => d.action === 'delete');
    const kept = decisions
      .filter((d) => d.action === 'keep')
      .map((d) => ({ backup_id: d.backupId, reasons: d.reasons }));
    const listed = (d: { backupId: string; reasons: string[] }) => ({
      backup_id: d.backupId,
      reasons: d.reasons,
    });
    const outputs = {
      mode: input.apply ? 'applied' : 'dry-run',
      'newest-good': survey.newestGood ?? '',
      kept,
      deleted: toDelete.map(listed),
      'open-executions': executions.filter((e) => !e.tornDown).map((e) => e.executionId),
    };
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
  },
};

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
