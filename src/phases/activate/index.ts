import { type ScriptRunner, ssmScriptRunner } from '../../aws/ssm-runner.js';
import type { Receipt } from '../../receipts/envelope.js';
import { type ActivateReport, ActivateReportSchema, activateProblems } from '../../runner/activate-report.js';
import { parseRunnerReport, ReportError } from '../../runner/report.js';
import { CRONJOB_NAME_MAX, parseDnsLabel } from '../../validation/dns1123.js';
import { InputError } from '../../validation/errors.js';
import { parseInstanceId } from '../../validation/instance-id.js';
import { parseList, parseNumber } from '../../validation/primitives.js';
import type { InputSpec, PhaseContext, PhaseDefinition, PhaseResult } from '../phase.js';
import { markdownTable } from '../summary.js';

const inputs: Record<string, InputSpec> = {
  confirm: {
    description: 'The execution id typed again: activation starts the standby publishing.',
    required: true,
  },
  'instance-id': { description: "The standby runner. Default: the execution's resolve-runner receipt." },
  namespace: { description: "Application namespace. Default: the execution's restore receipt." },
  cronjobs: {
    description:
      "CronJobs to un-suspend, comma-separated. Default: those the execution's restore created suspended.",
  },
  'timeout-seconds': { description: 'Wall-clock limit on the runner.', default: '300' },
};

interface ActivateInputs {
  confirm: string;
  instanceId?: string;
  namespace?: string;
  cronjobs: string[];
  timeoutSeconds: number;
}

function parse(read: (name: string) => string): ActivateInputs {
  const instance = read('instance-id').trim();
  const namespace = read('namespace').trim();
  return {
    confirm: read('confirm').trim(),
    ...(instance ? { instanceId: parseInstanceId('instance-id', instance) } : {}),
    ...(namespace ? { namespace: parseDnsLabel('namespace', namespace) } : {}),
    cronjobs: parseList(read('cronjobs')).map((name) => parseDnsLabel('cronjobs', name, CRONJOB_NAME_MAX)),
    timeoutSeconds: parseNumber('timeout-seconds', read('timeout-seconds'), {
      min: 30,
      max: 3600,
      integer: true,
    }),
  };
}

/** The latest valid receipt of a phase in this execution (highest attempt wins). */
function latest(receipts: Receipt[], phase: string): Receipt | undefined {
  return receipts.filter((r) => r.phase === phase).sort((a, b) => b.attempt - a.attempt)[0];
}

const refused = (message: string, reason: string): PhaseResult => ({
  status: 'failed',
  outputs: { activated: [] },
  summary: '',
  failure: { message, reason },
});

/**
 * What activation needs from the execution's receipts, or why it must not happen: the promote receipt
 * must record an approval (a rejection, no decision, or a failed promote all refuse), and the runner,
 * namespace and CronJobs come from resolve-runner and restore unless given.
 */
export function planActivation(executionId: string, input: ActivateInputs, receipts: Receipt[]) {
  if (input.confirm !== executionId)
    throw new InputError(
      'confirm',
      `'${input.confirm}' does not match execution-id '${executionId}': nothing activated`,
    );
  if (/^(drill|local)-/.test(executionId))
    return {
      refusal: refused(
        `${executionId} is a drill: a drill standby is torn down, never activated`,
        'drill_execution',
      ),
    };
  const promote = latest(receipts, 'promote');
  const status = promote?.status === 'ok' ? promote.outputs['promotion-status'] : undefined;
  if (status !== 'approved_but_auto_promote_disabled') {
    const why = !promote
      ? 'has no promote receipt: the promotion gate was not decided'
      : status === 'manual_promotion_rejected'
        ? `was rejected by ${String(promote.outputs['decided-by'] ?? 'a reviewer')}`
        : `has a promote receipt with status ${promote.status}`;
    return {
      refusal: refused(`execution ${executionId} ${why}; activation needs an approval`, 'not_approved'),
    };
  }
  const restore = latest(receipts, 'restore');
  const fromRestore = restore?.status === 'ok' ? restore : undefined;
  const instanceId =
    input.instanceId ?? String(latest(receipts, 'resolve-runner')?.outputs['instance-id'] ?? '');
  const namespace = input.namespace ?? String(fromRestore?.inputs.namespace ?? '');
  const restored = fromRestore?.outputs.cronjobs;
  const cronjobs =
    input.cronjobs.length > 0 ? input.cronjobs : Array.isArray(restored) ? restored.map(String) : [];
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
      approvedBy: String(promote?.outputs['decided-by'] ?? ''),
    },
  };
}

export function createActivatePhase(
  runnerFor: (ctx: PhaseContext) => ScriptRunner = (ctx) =>
    ssmScriptRunner(ctx.aws, { progress: (m) => ctx.io.info(m) }),
): PhaseDefinition<ActivateInputs> {
  return {
    name: 'activate',
    title: 'Activate the standby',
    description:
      "Un-suspends the restored CronJobs on the standby through SSM, only after the execution's promotion was approved. A separate, receipted human act.",
    branding: { icon: 'play-circle', color: 'red' },
    inputs,
    outputs: {
      activated: { description: 'JSON list of CronJobs un-suspended' },
      'approved-by': { description: 'Who approved the promotion this activation relies on' },
      report: { description: 'The runner report (JSON)' },
    },
    parseInputs: parse,

    async run(input, ctx): Promise<PhaseResult> {
      if (!ctx.receipts)
        return refused('activation reads the execution receipts: give receipt-bucket', 'invalid_input');
      const receipts = (await ctx.receipts.list()).flatMap((r) => (r.receipt ? [r.receipt] : []));
      const { plan, refusal } = planActivation(ctx.executionId, input, receipts);
      if (!plan) return refusal;
      ctx.io.info(
        `Activating ${plan.cronjobs.join(', ')} in ${plan.namespace} on ${plan.instanceId} (approved by ${plan.approvedBy})`,
      );
      const outcome = await runnerFor(ctx)({
        script: 'activate.sh',
        instanceId: plan.instanceId,
        env: { STANDBY_NAMESPACE: plan.namespace, STANDBY_CRONJOBS: plan.cronjobs.join(',') },
        timeoutSeconds: input.timeoutSeconds,
      });
      let report: ActivateReport;
      try {
        report = parseRunnerReport(outcome, ActivateReportSchema, 'activate.sh');
      } catch (error) {
        if (error instanceof ReportError) return refused(error.message, error.reason);
        throw error;
      }
      const problems = activateProblems(report, plan.cronjobs);
      const outputs = {
        activated: report.cronjobs.filter((c) => !c.suspended).map((c) => c.name),
        'approved-by': plan.approvedBy,
        report,
        'ssm-command-id': outcome.commandId,
      };
      const summary = markdownTable(
        ['CronJob', 'Before', 'After'],
        report.cronjobs.map((c) => [
          c.name,
          c.was_suspended ? 'suspended' : 'active',
          c.suspended ? 'suspended' : 'active',
        ]),
      );
      if (problems.length > 0)
        return {
          status: 'failed',
          outputs,
          summary,
          failure: { message: problems.join('; '), reason: 'activation_failed' },
        };
      return { status: 'ok', outputs, summary };
    },
  };
}

export const activate = createActivatePhase();
