import { type Anchor, anchorFromAttestation, type ChainHead, chainHeadOf, judgeAnchor } from './anchor.js';
import type { ParsedAttestation } from './attestation.js';
import {
  type BundleFile,
  COLLECTION_FILE,
  DRILL_REQUIRED_PHASES,
  type Finding,
  MANIFEST_FILE,
} from './bundle.js';
import {
  type BundledReceipt,
  emulatorEndpoints,
  newestAttempts,
  parseBundledReceipts,
} from './bundled-receipts.js';
import { type AlarmReport, checkAlarms } from './check-alarms.js';
import { checkChain, checkExecutionIds, checkTargets, checkTimestamps } from './check-chain.js';
import { parseManifest, verifyManifest } from './manifest.js';
import { judgePhases, type PhaseOutcome } from './phase-outcomes.js';
import { judgeVersions, type VersionReport, type VersionsRecord } from './receipt-versions.js';
import { judgeRunKind, type RunKind } from './run-kind.js';
import { scanForSecrets } from './secret-scan.js';
import { judgeOutOfRun, type OutOfRunReceipt, type SourceProofs } from './source-proof.js';
import { type ExpectedRun, judgeSources } from './sources.js';

export interface CheckOptions {
  /** Phases whose newest receipt must exist and be ok (default: a full drill). */
  require: readonly string[];
  /** Accept receipts written through an endpoint override (the local emulator). */
  acceptEmulator: boolean;
  /** The execution the bundle must belong to; default: the manifest's. */
  executionId?: string;
  /** How far before the first receipt's start and after the last receipt's end an alarm change still counts. */
  alarmLeadMinutes: number;
  alarmTrailMinutes: number;
  /** The GitHub Actions run that owns the execution; default: from the execution id, else the first receipt. */
  runId?: string;
  /** The chain head the run published (job summary): sha256 of its last receipt, and how many receipts. */
  expectHead?: string;
  expectCount?: number;
  /** The run's attestation of the bundle (read with parseAttestation; its signature checked by gh). */
  attestation?: ParsedAttestation;
  /** Require OK→ALARM→OK whatever the run's kind. */
  requireAlarm?: boolean;
  /** Fail (instead of noting) when the bucket's versioning does not let the check see overwrites. */
  requireVersioning?: boolean;
  /** GitHub's records of the runs that wrote receipts outside the execution's run (--verify-sources). */
  sourceProofs?: SourceProofs;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  require: DRILL_REQUIRED_PHASES,
  acceptEmulator: false,
  alarmLeadMinutes: 60,
  alarmTrailMinutes: 60,
};

export interface CheckReport {
  verified: boolean;
  executionId: string | undefined;
  emulator: { endpoints: string[]; accepted: boolean };
  run: { kind: RunKind; label: string; alarmRequired: boolean; expectedRun?: ExpectedRun };
  chain: ChainHead;
  anchor?: { from: Anchor['from']; head: string; count?: number; anchored: boolean };
  versions: VersionReport;
  phases: PhaseOutcome[];
  alarm: AlarmReport;
  /** Receipts written outside the execution's run: what --verify-sources asks GitHub about. */
  outOfRun: OutOfRunReceipt[];
  problems: Finding[];
  notes: Finding[];
}

/** Pure: the whole verdict from the bundle's files. Every problem is listed; nothing stops at the first. */
export function checkBundle(files: BundleFile[], options: CheckOptions = DEFAULT_CHECK_OPTIONS): CheckReport {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  const take = (part: { problems: Finding[]; notes?: Finding[] }) => {
    problems.push(...part.problems);
    notes.push(...(part.notes ?? []));
  };
  const structure = checkStructure(files, options);
  take(structure);
  const { receipts, executionId } = structure;

  const endpoints = emulatorEndpoints(receipts);
  const emulatorAccepted = endpoints.length > 0 && options.acceptEmulator;
  if (endpoints.length > 0 && !options.acceptEmulator) {
    problems.push({
      code: 'emulator-bundle',
      message: `receipts were written through an endpoint override (${endpoints.join(', ')}), i.e. the local emulator, not AWS: rerun with --accept-emulator to check a rehearsal`,
    });
  }
  const phases = judgePhases(newestAttempts(receipts), receipts, options.require, emulatorAccepted);
  take(phases);
  const provenance = checkProvenance(receipts, executionId, emulatorAccepted, options);
  take(provenance);
  const alarms = checkAlarms(files, receipts, provenance.run, {
    emulatorAccepted,
    leadMinutes: options.alarmLeadMinutes,
    trailMinutes: options.alarmTrailMinutes,
  });
  take(alarms);
  const versions = judgeVersions(readCollectionVersions(files), {
    requireVersioning: Boolean(options.requireVersioning),
  });
  take(versions);
  take({ problems: scanForSecrets(files) });

  return {
    verified: problems.length === 0,
    executionId,
    emulator: { endpoints, accepted: emulatorAccepted },
    run: { ...provenance.run, expectedRun: provenance.expectedRun },
    chain: chainHeadOf(receipts),
    anchor: provenance.anchor,
    versions: versions.report,
    phases: phases.outcomes,
    alarm: alarms.alarm,
    outOfRun: provenance.outOfRun,
    problems,
    notes,
  };
}

/** Manifest, receipts, execution ids, hash chain, timestamps. */
function checkStructure(files: BundleFile[], options: CheckOptions) {
  const problems: Finding[] = [];
  const { manifest, problem } = parseManifest(files.find((f) => f.path === MANIFEST_FILE)?.body);
  if (problem) problems.push(problem);
  if (manifest) problems.push(...verifyManifest(manifest, files));
  const parsed = parseBundledReceipts(files);
  const receipts = parsed.receipts;
  problems.push(...parsed.problems);
  if (receipts.length === 0)
    problems.push({ code: 'receipts-missing', message: 'the bundle holds no receipts (receipts/ is empty)' });
  const executionId = options.executionId ?? manifest?.execution_id ?? receipts[0]?.receipt.execution_id;
  if (manifest && options.executionId && manifest.execution_id !== options.executionId) {
    problems.push({
      code: 'execution-id-mismatch',
      message: `the manifest is for execution ${manifest.execution_id}, not ${options.executionId}`,
      path: MANIFEST_FILE,
    });
  }
  if (executionId) problems.push(...checkExecutionIds(receipts, executionId));
  problems.push(...checkChain(receipts), ...checkTimestamps(receipts), ...checkTargets(receipts));
  return { receipts, executionId, problems };
}

/** Who wrote the receipts, what kind of run it was, and whether the chain still reaches its anchor. */
function checkProvenance(
  receipts: BundledReceipt[],
  executionId: string | undefined,
  emulatorAccepted: boolean,
  options: CheckOptions,
) {
  const run = judgeRunKind(executionId, receipts, { requireAlarm: options.requireAlarm });
  const sources = judgeSources(receipts, { executionId, runId: options.runId, emulatorAccepted });
  const proven = judgeOutOfRun(sources.outOfRun, options.sourceProofs);
  const problems = [...run.problems, ...sources.problems, ...proven.problems];
  const notes = [...sources.notes, ...proven.notes];
  const anchors: Anchor[] = [];
  if (options.expectHead)
    anchors.push({ head: options.expectHead.toLowerCase(), count: options.expectCount, from: 'expect-head' });
  if (options.attestation) anchors.push(anchorFromAttestation(options.attestation, receipts));
  let anchor: CheckReport['anchor'];
  for (const a of anchors) {
    const verdict = judgeAnchor(receipts, a, {
      outOfRun: sources.outOfRun.map((o) => o.path),
      expectedRunId: sources.expectedRun?.runId,
    });
    problems.push(...verdict.problems);
    notes.push(...verdict.notes);
    anchor = {
      from: a.from,
      head: a.head,
      count: a.count,
      anchored: verdict.anchored && (anchor?.anchored ?? true),
    };
  }
  return { run, expectedRun: sources.expectedRun, outOfRun: sources.outOfRun, anchor, problems, notes };
}

/** collection.json's `versions` (written by `evidence collect`); undefined when absent or unreadable. */
function readCollectionVersions(files: BundleFile[]): VersionsRecord | undefined {
  const file = files.find((f) => f.path === COLLECTION_FILE);
  if (!file) return undefined;
  try {
    const versions = (JSON.parse(file.body.toString('utf8')) as { versions?: VersionsRecord }).versions;
    return versions && typeof versions === 'object' && versions.receipts ? versions : undefined;
  } catch {
    return undefined;
  }
}
