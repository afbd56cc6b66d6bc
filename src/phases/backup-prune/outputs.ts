import { z } from 'zod';
import { stringList } from '../output-fields.js';

const Listed = z.array(z.object({ backup_id: z.string(), reasons: stringList }));

export const BackupPruneOutputs = z.object({
  mode: z.enum(['dry-run', 'applied']).describe('dry-run or applied'),
  'newest-good': z.string().describe('The newest good backup id (always kept)'),
  kept: Listed.describe('JSON array of {backup_id, reasons}'),
  deleted: Listed.describe('JSON array of {backup_id, reasons}: deleted (applied) or to delete (dry run)'),
  'open-executions': stringList.describe('JSON array: DR executions still open (their backups are kept)'),
});
export type BackupPruneOutput = z.output<typeof BackupPruneOutputs>;
