import { markdownTable } from '../../util/markdown.js';
import type { PhaseResult } from '../phase.js';
import { describeLeftovers, type Leftover, type RunnerTags } from './leftovers.js';

/** The teardown verdict: a leftover fails it (naming each), so does a failed destroy; otherwise ok. */
export function report(
  destroyError: string | undefined,
  { planSha256, terraformVersion }: { planSha256: string; terraformVersion: string },
  leftovers: Leftover[] | null,
  tags: RunnerTags,
  stateKey: string,
): PhaseResult {
  const outputs = {
    destroyed: destroyError === undefined,
    'state-key': stateKey,
    leftovers,
    'plan-sha256': planSha256,
    'terraform-version': terraformVersion,
  };
  const tagText = Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const rows = [
    ['Destroy', destroyError === undefined ? `✅ applied plan ${planSha256.slice(0, 12)}…` : '❌ failed'],
    [
      'Verification',
      leftovers === null
        ? 'skipped (verify=false)'
        : leftovers.length === 0
          ? `✅ nothing tagged ${tagText} remains`
          : `❌ ${leftovers.length} left`,
    ],
  ];
  const lines = [markdownTable(['Step', 'Result'], rows)];
  if (leftovers?.length)
    lines.push(
      '',
      markdownTable(
        ['Kind', 'Id', 'Detail'],
        leftovers.map((l) => [l.kind, l.id, l.detail ?? '']),
      ),
    );
  const summary = lines.join('\n');

  if (leftovers?.length) {
    const prefix = destroyError ? `destroy failed (${destroyError}) and ` : 'destroy finished but ';
    return {
      status: 'failed',
      outputs,
      summary,
      failure: {
        message: `${prefix}runner resources remain: ${describeLeftovers(leftovers)}`,
        reason: 'leftovers',
      },
    };
  }
  if (destroyError)
    return {
      status: 'failed',
      outputs,
      summary,
      failure: { message: destroyError, reason: 'terraform_failed' },
    };
  return { status: 'ok', outputs, summary };
}
