import { markdownTable } from '../../util/markdown.js';
import type { PhaseResult } from '../phase.js';
import type { RunnerAction } from './decide.js';

/** One runner (instance id) or leftover state (state key) the sweeper looked at. */
export interface Examined {
  id: string;
  execution: string;
  kind: string;
  expiresAt: string;
  run: string;
  verdict: RunnerAction;
  why: string;
  /** Set when something was done: what, and whether it worked. */
  result?: string;
  ok?: boolean;
}

export interface LockReport {
  stateKey: string;
  /** Where the lock record lives: the DynamoDB LockID item or the S3 .tflock object. */
  store: 'dynamodb' | 's3';
  id: string;
  holder: string;
  stale: boolean;
  why: string;
  cleared: boolean;
}

/** The receipt and summary: every runner, leftover state and lock, what was decided and done. */
export function sweepResult(
  runners: Examined[],
  states: Examined[],
  locks: LockReport[],
  dryRun: boolean,
): PhaseResult {
  const acted = [...runners, ...states].filter((e) => e.result !== undefined);
  const failed = acted.filter((e) => e.ok === false);
  const lockFailures = locks.filter((l) => l.stale && !l.cleared && !dryRun);
  const outputs = {
    runners,
    states,
    locks,
    destroyed: acted.filter((e) => e.ok).length,
    'dry-run': dryRun,
  };
  const rows = [...runners, ...states].map((e) => [
    e.id,
    e.execution || '?',
    e.kind || '?',
    e.expiresAt || '?',
    e.run,
    dryRun && e.verdict === 'destroy' ? 'would destroy' : e.verdict,
    e.result ? `${e.why}: ${e.result}` : e.why,
  ]);
  const lines = [
    dryRun ? '**Dry run**: nothing was changed.' : '',
    rows.length
      ? markdownTable(
          ['Runner / state', 'Execution', 'Kind', 'Expires', 'Run', 'Verdict', 'Why / done'],
          rows,
        )
      : 'No standby runners and no leftover state.',
  ];
  if (locks.length)
    lines.push(
      '',
      markdownTable(
        ['Locked state', 'Lock', 'Held in', 'Holder', 'Stale', 'Cleared', 'Why'],
        locks.map((l) => [
          l.stateKey,
          l.id,
          l.store,
          l.holder,
          l.stale ? 'yes' : 'no',
          l.cleared ? 'yes' : 'no',
          l.why,
        ]),
      ),
    );
  const summary = lines.filter((line, i) => line !== '' || i > 0).join('\n');
  if (failed.length || lockFailures.length) {
    const message = [
      ...failed.map((e) => `${e.id} (${e.execution || '?'}): ${e.result}`),
      ...lockFailures.map((l) => `lock on ${l.stateKey}: ${l.why}`),
    ].join('; ');
    return { status: 'failed', outputs, summary, failure: { message, reason: 'sweep_incomplete' } };
  }
  return { status: 'ok', outputs, summary };
}
