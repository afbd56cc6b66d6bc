import { z } from 'zod';
import { json, s3Reads, stringList } from '../output-fields.js';

export const RestoreOutputs = z.object({
  'backup-uri': z
    .string()
    .describe("The backup restored: restore-precheck's recorded choice (or the input, without receipts)"),
  'backup-source': z
    .enum(['restore-precheck', 'input'])
    .describe(
      "Where backup-uri came from: the execution's restore-precheck receipt, or the input when receipts are off",
    ),
  'files-restored': z.number().describe('Regular files extracted from state.tar.zst'),
  'manifests-applied': z.number().describe('Kubernetes objects applied (server-side, in dependency order)'),
  applied: stringList.describe('JSON list of Kind/namespace/name applied, in order'),
  'state-volume': z
    .string()
    .describe('The PersistentVolume holding the restored state, bound to state-claim'),
  'state-marker': z.string().describe('The marker found in the restored state ("" when the backup has none)'),
  'control-plane-applied': z
    .boolean()
    .describe('true when the control-plane bundle was verified and applied'),
  cronjobs: stringList.describe(
    'JSON list of CronJob names in the namespace after the restore (all suspended)',
  ),
  held: stringList.describe(
    'JSON list of Kind/name of every workload held until activation (replicas 0, suspended, or no node)',
  ),
  report: json.describe('The runner report (JSON)'),
  's3-reads': s3Reads.describe(
    "JSON object: the S3 requests restore.sh's downloads made on the runner (HEAD + GETs as aws s3 cp makes them) and their bytes, for the drill cost",
  ),
  'ssm-command-id': z.string().describe('The SSM Run Command id that ran restore.sh'),
});
export type RestoreOutput = z.output<typeof RestoreOutputs>;
