import type { Receipt } from '../../receipts/envelope.js';
import type { PhaseFailure } from '../../receipts/failure-reasons.js';
import { latestReceipt, outputsOf } from '../../receipts/outputs.js';
import { CRONJOB_NAME_MAX, parseDnsLabel } from '../../validation/dns1123.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import type { PhaseResult } from '../phase.js';
import type { ActivateInputs } from './inputs.js';
import type { ActivateOutput } from './outputs.js';

export const refused = (message: string, reason: PhaseFailure['reason']): PhaseResult<ActivateOutput> => ({
  status: 'failed',
  outputs: { activated: [] },
  summary: '',
  failure: { message, reason },
});

/**
 * What activation needs from the execution's receipts, or why it must not happen: the promote receipt
 * must record an approval (a rejection, no decision, or a failed promote all refuse), and the runner,
 * namespace and CronJobs come from resolve-runner and restore unless given. Whether the approval is the
 * execution's own and GitHub agrees is approval-provenance.ts's decision, made after this one.
 */
export async function planActivation(executionId: string, input: ActivateInputs, receipts: Receipt[]) {
  if (input.confirm !== executionId)
    throw new InputError(
      'confirm',
      `${quoted(input.confirm)} does not match execution-id ${quoted(executionId)}: nothing activated`,
    );
  if (/^(drill|local)-/.test(executionId))
    return {
      refusal: refused(
        `${executionId} is a drill: a drill standby is torn down, never activated`,
        'drill_execution',
      ),
    };
  // The earlier phases' output schemas (zod) load only here, as activate runs (issue 24.4).
  const [{ PromoteOutputs }, { ResolveRunnerOutputs }, { RestoreOutputs }] = await Promise.all([
    import('../promote/outputs.js'),
    import('../resolve-runner/outputs.js'),
    import('../restore/outputs.js'),
  ]);
  const promote = latestReceipt(receipts, 'promote');
  const decided = outputsOf(PromoteOutputs, promote?.status === 'ok' ? promote : undefined);
  if (decided['promotion-status'] !== 'approved_but_auto_promote_disabled') {
    const why = !promote
      ? 'has no promote receipt: the promotion gate was not decided'
      : decided['promotion-status'] === 'manual_promotion_rejected'
        ? `was rejected by ${decided['decided-by'] ?? 'a reviewer'}`
        : `has a promote receipt with status ${promote.status}`;
    return {
      refusal: refused(`execution ${executionId} ${why}; activation needs an approval`, 'not_approved'),
    };
  }
  const restore = latestReceipt(receipts, 'restore');
  const restored = outputsOf(RestoreOutputs, restore?.status === 'ok' ? restore : undefined);
  const runner = outputsOf(ResolveRunnerOutputs, latestReceipt(receipts, 'resolve-runner'));
  const instanceId = input.instanceId ?? runner['instance-id'] ?? '';
  const namespace = input.namespace ?? String((restore?.status === 'ok' && restore.inputs.namespace) || '');
  const cronjobs = input.cronjobs.length > 0 ? input.cronjobs : (restored.cronjobs ?? []);
  if (!instanceId || !namespace || cronjobs.length === 0)
    return {
      refusal: refused(
        `cannot tell ${!instanceId ? 'the runner' : !namespace ? 'the namespace' : 'which CronJobs'} from the receipts of ${executionId}; pass it`,
        'invalid_input',
      ),
    };
  return {
    plan: {
      instanceId: parseInstanceId('instance-id', instanceId),
      namespace: parseDnsLabel('namespace', namespace),
      cronjobs: cronjobs.map((name) => parseDnsLabel('cronjobs', name, CRONJOB_NAME_MAX)),
    },
  };
}
