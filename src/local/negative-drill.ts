import type { TimelineEntry } from './run-steps.js';

/**
 * Negative drills (issue 23.7): a planted fault the pipeline must refuse or fall back from exactly as
 * designed. The judge is pure: what was planted and what the pipeline recorded in, a verdict out. A negative
 * drill passes only when every expectation holds; anything else (the fault slipped through, the wrong
 * reason, a phase ran that must not) fails it, so a safety check that stops firing fails the drill.
 */
export const FAULT_KINDS = [
  'corrupt-newest-backup',
  'future-backup',
  'corrupt-only-backup',
  'resigned-newest-backup',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the fault does, in one line (for --help, docs/cli.md and the report). */
export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  'corrupt-newest-backup':
    'a newer backup whose state archive no longer matches the sha256 its metadata.json pins: restore-precheck must refuse it (integrity_failed) and fall back to the older good backup',
  'future-backup':
    'a newer backup whose created_utc is two days in the future (a wrong clock): restore-precheck must set it aside (in_future) and choose the good backup',
  'corrupt-only-backup':
    'the only backup corrupted: restore-precheck must fail with integrity_failed and nothing after it may run (no runner, no EC2 spend)',
  'resigned-newest-backup':
    "a newer backup signed by another KMS key than the deployment's (the good backup is signed with it): restore-precheck, given the deployment's verify key, must refuse it (signature_invalid) and fall back to the good backup",
};

export interface PlantedFault {
  kind: FaultKind;
  /** The backup the fault lives in. */
  backupId: string;
  /** The good backup the pipeline should fall back to, when the design has one. */
  fallbackId?: string;
  /** The deployment's signing key (ARN), when the fault is about signatures: restore-precheck's verify-key. */
  verifyKey?: string;
}

export interface Observed {
  timeline: TimelineEntry[];
  /** restore-precheck's `candidates` output: every backup it looked at, with its verdict. */
  candidates: { backup_id: string; verdict: string }[];
}

export interface Expectation {
  what: string;
  held: boolean;
  saw: string;
}

export interface NegativeDrillVerdict {
  fault: FaultKind;
  description: string;
  planted: PlantedFault;
  passed: boolean;
  expectations: Expectation[];
}

/** Phases that spend (a runner in EC2) or act on the standby: none may run after a refusal. */
const SPENDING_PHASES = ['bringup', 'resolve-runner', 'restore', 'validate', 'promote'];

/** How restore-precheck must mark the planted backup when there is a good one to fall back to. */
const REFUSAL: Record<Exclude<FaultKind, 'corrupt-only-backup'>, string> = {
  'corrupt-newest-backup': 'integrity_failed',
  'future-backup': 'in_future',
  'resigned-newest-backup': 'signature_invalid',
};

export function judgeNegativeDrill(planted: PlantedFault, observed: Observed): NegativeDrillVerdict {
  const precheck = observed.timeline.find((t) => t.phase === 'restore-precheck');
  const verdictOf = (id: string | undefined) =>
    observed.candidates.find((c) => c.backup_id === id)?.verdict ?? 'not looked at';
  const expectations: Expectation[] = [];
  const expect = (what: string, held: boolean, saw: string) => expectations.push({ what, held, saw });

  if (planted.kind === 'corrupt-only-backup') {
    expect(
      'restore-precheck fails with integrity_failed',
      precheck?.status === 'failed' && precheck.reason === 'integrity_failed',
      precheck ? `${precheck.status}${precheck.reason ? ` (${precheck.reason})` : ''}` : 'did not run',
    );
    expect(
      `the corrupted backup ${planted.backupId} is refused`,
      verdictOf(planted.backupId) === 'integrity_failed',
      verdictOf(planted.backupId),
    );
    const ranAfter = observed.timeline.filter((t) => SPENDING_PHASES.includes(t.phase)).map((t) => t.phase);
    expect(
      'no phase that spends or acts runs after the refusal',
      ranAfter.length === 0,
      ranAfter.join(', ') || 'none ran',
    );
  } else {
    const refusal = REFUSAL[planted.kind];
    expect(
      `the planted backup ${planted.backupId} is passed over as ${refusal}`,
      verdictOf(planted.backupId) === refusal,
      verdictOf(planted.backupId),
    );
    expect(
      `restore-precheck falls back to the good backup ${planted.fallbackId}`,
      precheck?.status === 'ok' && verdictOf(planted.fallbackId) === 'chosen',
      `${precheck?.status ?? 'did not run'}; ${planted.fallbackId}: ${verdictOf(planted.fallbackId)}`,
    );
  }
  return {
    fault: planted.kind,
    description: FAULT_DESCRIPTIONS[planted.kind],
    planted,
    passed: expectations.every((e) => e.held),
    expectations,
  };
}

export function parseFaultKind(raw: string): FaultKind | undefined {
  return (FAULT_KINDS as readonly string[]).includes(raw) ? (raw as FaultKind) : undefined;
}
