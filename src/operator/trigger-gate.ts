import type { ChainHead } from '../evidence/anchor.js';
import type { Finding } from '../evidence/bundle.js';
import type { RunKind } from '../evidence/run-kind.js';

/** One drill execution as `evidence check` judged it (src/operator/drill-evidence.ts reads it). */
export interface DrillCheck {
  executionId: string;
  verified: boolean;
  problems: Finding[];
  /** The latest end time among its receipts: when the drill finished. */
  endedAt?: string;
  kind: RunKind;
  /** The repository and Actions run its receipts say wrote them. */
  repository: string | null;
  runId?: string;
  chain: ChainHead;
  manifestSha256?: string;
}

export interface TriggerGateOptions {
  /** owner/name of the repository whose triggers are turned on. */
  repository: string;
  withinDays: number;
  now: Date;
}

export type TriggerGate =
  | { allowed: true; proof: DrillCheck; ageDays: number; examined: Rejection[] }
  | { allowed: false; reason: string; next: string; examined: Rejection[] };

export interface Rejection {
  executionId: string;
  why: string;
}

const DAY_MS = 86_400_000;

/**
 * Whether triggers may be turned on (SPEC "Trigger safety": only after a verified drill of this
 * deployment). Pure: the drills examined, newest first, decide. The newest drill that `evidence check`
 * verified, that is a drill (drill.yml), and whose receipts were written by this repository's run is the
 * proof, if it finished within the last `withinDays` days. A failed or unverifiable drill does not hide
 * an older verified one, but an older verified one still has to be recent enough.
 */
export function decideTriggers(checks: DrillCheck[], options: TriggerGateOptions): TriggerGate {
  const examined: Rejection[] = [];
  for (const check of checks) {
    const why = whyNotProof(check, options.repository);
    if (why) {
      examined.push({ executionId: check.executionId, why });
      continue;
    }
    const ended = Date.parse(check.endedAt ?? '');
    const ageDays = (options.now.getTime() - ended) / DAY_MS;
    if (ageDays > options.withinDays) {
      return {
        allowed: false,
        reason: `the newest verified drill, ${check.executionId}, ended ${check.endedAt} (${Math.floor(ageDays)} days ago): triggers need one verified within the last ${options.withinDays} days`,
        next: 'run a drill (gh workflow run drill.yml), let it finish, then run `standby triggers enable` again',
        examined,
      };
    }
    return { allowed: true, proof: check, ageDays, examined };
  }
  return {
    allowed: false,
    reason:
      checks.length === 0
        ? 'no drill of this deployment has receipts here'
        : `none of the ${checks.length} newest drill(s) verifies: ${examined.map((e) => `${e.executionId} (${e.why})`).join('; ')}`,
    next: 'run a drill (gh workflow run drill.yml), check it (standby evidence collect, standby evidence check), fix what the check lists, then run `standby triggers enable` again',
    examined,
  };
}

/** Why a drill cannot prove anything, or undefined when it can (then no older drill needs reading). */
export function whyNotProof(check: DrillCheck, repository: string): string | undefined {
  if (!check.verified) {
    const codes = [...new Set(check.problems.map((p) => p.code))];
    return `evidence check found ${check.problems.length} problem(s): ${codes.join(', ')}`;
  }
  if (check.kind !== 'drill') return `not a drill (${check.kind} run)`;
  if (!check.repository || check.repository.toLowerCase() !== repository.toLowerCase())
    return `written by ${check.repository ?? 'no GitHub repository'}, not ${repository}`;
  if (!Number.isFinite(Date.parse(check.endedAt ?? ''))) return 'no receipt says when it ended';
  return undefined;
}

/** The run GitHub reports for the proving drill's run id (undefined: GitHub does not know it). */
export interface ConfirmedRun {
  id: number;
  path?: string;
  html_url?: string;
}

/**
 * The proof's run as GitHub knows it must be a drill.yml run of the repository: the receipts name their
 * run, but whoever can write the bucket can write that name too (SPEC: a run is confirmed through the
 * GitHub API). Returns why not, or undefined.
 */
export function whyRunUnconfirmed(proof: DrillCheck, run: ConfirmedRun | undefined, repository: string) {
  if (!run)
    return `GitHub knows no run ${proof.runId} in ${repository}, which ${proof.executionId}'s receipts name`;
  const file = (run.path ?? '').split('@')[0] ?? '';
  if (!/(^|\/)drill\.yml$/.test(file))
    return `run ${run.id} of ${repository} is ${file || 'a run of no known workflow'}, not drill.yml`;
  return undefined;
}
