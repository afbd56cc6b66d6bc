import type { ReviewPreview } from '../preview/summary.js';
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
  'stale-state-marker',
  'unpinned-image',
  'forged-approval',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The faults only a runner can refuse: restore.sh and validate.sh read the restored state, and the local
 * rehearsal has no runner (restore and validate are recorded as not run). Their negative drill runs where
 * those scripts run: the runner sandbox test (test/integration/negative-drill-runner.test.ts).
 */
export const RUNNER_ONLY_FAULTS = ['stale-state-marker'] as const satisfies readonly FaultKind[];
export type LocalFaultKind = Exclude<FaultKind, (typeof RUNNER_ONLY_FAULTS)[number]>;

/** The faults `standby drill --local --fault` plants. */
export const LOCAL_FAULT_KINDS = FAULT_KINDS.filter(
  (kind): kind is LocalFaultKind => !(RUNNER_ONLY_FAULTS as readonly string[]).includes(kind),
);

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
  'stale-state-marker':
    "the restored state's marker is not the backup's (an older backup's marker in the newest archive, or a claim still holding an older state): restore.sh (restore_failed) or validate's Job (validation_failed) must refuse it, and nothing may be approved or activated; runner only",
  'unpinned-image':
    'a newer, intact backup whose CronJobs name their image by tag only: the design takes it (restore-precheck checks integrity, not images) and flags the tag to the reviewers as not pinned by digest in the restore preview before the gate; nothing is promoted without a reviewer',
  'forged-approval':
    "an approval receipt written by a plain PutObject (well-formed, claiming the pipeline run of a real-DR execution) with no review of the GitHub environment behind it: activation must refuse it (approval_unproven, GitHub's review log shows no approval) and send nothing to the runner",
};

export interface PlantedFault {
  kind: FaultKind;
  /** The backup the fault lives in. */
  backupId: string;
  /** The good backup the pipeline should fall back to, when the design has one. */
  fallbackId?: string;
  /** The deployment's signing key (ARN), when the fault is about signatures: restore-precheck's verify-key. */
  verifyKey?: string;
  /** The image the manifests name by tag (unpinned-image). */
  image?: string;
  /** The execution the forged approval was planted in (forged-approval). */
  forgedExecutionId?: string;
}

export interface Observed {
  timeline: TimelineEntry[];
  /** restore-precheck's `candidates` output: every backup it looked at, with its verdict. */
  candidates: { backup_id: string; verdict: string }[];
  /** Each phase's outputs, by phase (activate's `ssm-command-id` says whether anything reached the runner). */
  outputs?: Record<string, Record<string, string>>;
  /** The restore preview the reviewer summary carried (request-approval's summary-json). */
  preview?: ReviewPreview;
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

/** Phases that approve or act on an approval: none may succeed after a refusal on the runner. */
const APPROVING_PHASES = ['request-approval', 'promote', 'activate'];

/** How restore-precheck must mark the planted backup when there is a good one to fall back to. */
const REFUSAL: Record<'corrupt-newest-backup' | 'future-backup' | 'resigned-newest-backup', string> = {
  'corrupt-newest-backup': 'integrity_failed',
  'future-backup': 'in_future',
  'resigned-newest-backup': 'signature_invalid',
};

export function judgeNegativeDrill(planted: PlantedFault, observed: Observed): NegativeDrillVerdict {
  const expectations = EXPECTATIONS[planted.kind](planted, view(observed));
  return {
    fault: planted.kind,
    description: FAULT_DESCRIPTIONS[planted.kind],
    planted,
    passed: expectations.every((e) => e.held),
    expectations,
  };
}

/** What the judge reads of a run: the timeline and restore-precheck's verdicts, asked the same way. */
function view(observed: Observed) {
  const find = (phase: string) => observed.timeline.find((t) => t.phase === phase);
  return {
    observed,
    find,
    precheck: find('restore-precheck'),
    verdictOf: (id: string | undefined) =>
      observed.candidates.find((c) => c.backup_id === id)?.verdict ?? 'not looked at',
    ran: (phases: string[], status?: TimelineEntry['status']) =>
      observed.timeline.filter((t) => phases.includes(t.phase) && (!status || t.status === status)),
  };
}
type View = ReturnType<typeof view>;

const describeEntry = (t: TimelineEntry | undefined) =>
  t ? `${t.status}${t.reason ? ` (${t.reason})` : ''}: ${t.note}` : 'did not run';
const expectation = (what: string, held: boolean, saw: string): Expectation => ({ what, held, saw });

/** Each fault's expectations: every one must hold for the negative drill to pass. */
const EXPECTATIONS: Record<FaultKind, (planted: PlantedFault, v: View) => Expectation[]> = {
  'corrupt-newest-backup': fellBack,
  'future-backup': fellBack,
  'resigned-newest-backup': fellBack,
  'corrupt-only-backup': (planted, { precheck, verdictOf, ran }) => {
    const spent = ran(SPENDING_PHASES).map((t) => t.phase);
    return [
      expectation(
        'restore-precheck fails with integrity_failed',
        precheck?.status === 'failed' && precheck.reason === 'integrity_failed',
        precheck ? `${precheck.status}${precheck.reason ? ` (${precheck.reason})` : ''}` : 'did not run',
      ),
      expectation(
        `the corrupted backup ${planted.backupId} is refused`,
        verdictOf(planted.backupId) === 'integrity_failed',
        verdictOf(planted.backupId),
      ),
      expectation(
        'no phase that spends or acts runs after the refusal',
        spent.length === 0,
        spent.join(', ') || 'none ran',
      ),
    ];
  },
  'stale-state-marker': (_planted, { observed, ran }) => {
    // restore.sh refuses an archive whose marker is not metadata.json's; validate's Job refuses a claim
    // that does not hold the restored marker. Either is the designed refusal; the message must name it.
    const refusal = observed.timeline.find(
      (t) =>
        t.status === 'failed' &&
        ((t.phase === 'restore' && t.reason === 'restore_failed') ||
          (t.phase === 'validate' && t.reason === 'validation_failed')) &&
        /state marker/.test(t.note),
    );
    const runner = ran(['restore', 'validate']);
    const approved = ran(APPROVING_PHASES, 'ok').map((t) => t.phase);
    return [
      expectation(
        'restore (restore_failed) or validate (validation_failed) refuses the state marker',
        Boolean(refusal),
        refusal
          ? `${refusal.phase}: ${describeEntry(refusal)}`
          : runner.map((t) => `${t.phase}: ${describeEntry(t)}`).join('; ') ||
              'restore and validate did not run',
      ),
      expectation(
        'nothing is approved or activated after the refusal',
        approved.length === 0,
        approved.join(', ') || 'none succeeded',
      ),
    ];
  },
  'unpinned-image': (planted, { observed, precheck, verdictOf, ran }) => {
    // The design: integrity, not images, decides the backup; the tag is shown to the reviewers.
    const preview = observed.preview && 'preview' in observed.preview ? observed.preview.preview : undefined;
    const unpinned = preview?.unpinned ?? [];
    const promoted = ran(['promote', 'activate'], 'ok').map((t) => t.phase);
    return [
      expectation(
        `restore-precheck takes the intact backup ${planted.backupId} (an image tag is no integrity failure)`,
        precheck?.status === 'ok' && verdictOf(planted.backupId) === 'chosen',
        `${precheck?.status ?? 'did not run'}; ${planted.backupId}: ${verdictOf(planted.backupId)}`,
      ),
      expectation(
        `the reviewer summary flags ${planted.image} as not pinned by digest`,
        Boolean(planted.image) && unpinned.includes(planted.image as string),
        preview
          ? `unpinned: ${unpinned.join(', ') || 'none'}`
          : observed.preview && 'unavailable' in observed.preview
            ? `no preview: ${observed.preview.unavailable}`
            : 'no reviewer summary',
      ),
      expectation(
        'nothing is promoted or activated without a reviewer',
        promoted.length === 0,
        promoted.join(', ') || 'none succeeded',
      ),
    ];
  },
  'forged-approval': (planted, { observed, find }) => {
    const activate = find('activate');
    const command = observed.outputs?.activate?.['ssm-command-id'] ?? '';
    return [
      expectation(
        `activation of ${planted.forgedExecutionId} is refused as approval_unproven`,
        activate?.status === 'failed' && activate.reason === 'approval_unproven',
        describeEntry(activate),
      ),
      // The forgery is well-formed and claims the pipeline run: only GitHub's review log can refute it.
      expectation(
        "GitHub's review log is what refutes it (no decided review of the environment)",
        activate?.status === 'failed' && /GitHub has no decided review/.test(activate.note),
        activate?.note ?? 'did not run',
      ),
      expectation(
        'nothing is sent to the runner',
        command === '',
        command ? `SSM command ${command}` : 'nothing sent',
      ),
    ];
  },
};

/** A planted backup passed over for its named reason, and the good backup chosen instead. */
function fellBack(planted: PlantedFault, { precheck, verdictOf }: View): Expectation[] {
  const refusal = REFUSAL[planted.kind as keyof typeof REFUSAL];
  return [
    expectation(
      `the planted backup ${planted.backupId} is passed over as ${refusal}`,
      verdictOf(planted.backupId) === refusal,
      verdictOf(planted.backupId),
    ),
    expectation(
      `restore-precheck falls back to the good backup ${planted.fallbackId}`,
      precheck?.status === 'ok' && verdictOf(planted.fallbackId) === 'chosen',
      `${precheck?.status ?? 'did not run'}; ${planted.fallbackId}: ${verdictOf(planted.fallbackId)}`,
    ),
  ];
}

export function parseFaultKind(raw: string): FaultKind | undefined {
  return (FAULT_KINDS as readonly string[]).includes(raw) ? (raw as FaultKind) : undefined;
}
