import { describe, expect, it } from '@jest/globals';
import { anchorFromAttestation, chainHeadOf, judgeAnchor } from '../../src/evidence/anchor.js';
import { AttestationError, parseAttestation } from '../../src/evidence/attestation.js';
import type { BundledReceipt } from '../../src/evidence/bundled-receipts.js';
import { judgeVersions, type VersionsRecord } from '../../src/evidence/receipt-versions.js';
import { judgeRunKind, workflowFile } from '../../src/evidence/run-kind.js';
import { judgeSources, runIdFromExecutionId } from '../../src/evidence/sources.js';
import type { Receipt } from '../../src/receipts/envelope.js';

const WORKFLOWS = 'octo/standby/.github/workflows';
const source = (
  runId: string | null,
  workflow = 'drill.yml',
  kind: 'github-actions' | 'cli' = 'github-actions',
) => ({
  kind,
  repository: kind === 'cli' ? null : 'octo/standby',
  workflow: kind === 'cli' ? null : `${WORKFLOWS}/${workflow}@refs/heads/main`,
  run_id: runId,
  run_attempt: runId ? '1' : null,
  commit: null,
  actor: 'octocat',
  event: null,
});

/** A chain of receipts in memory: phase, status and source are what these checks read. */
function chain(
  entries: Array<{ phase: string; source?: Receipt['source']; status?: Receipt['status'] }>,
): BundledReceipt[] {
  return entries.map((entry, index) => {
    const name = `${entry.phase}.json`;
    return {
      path: `receipts/${name}`,
      name,
      sha256: String(index + 1)
        .repeat(64)
        .slice(0, 64),
      receipt: {
        phase: entry.phase,
        status: entry.status ?? 'ok',
        sequence: index + 1,
        source: entry.source ?? source('4242'),
      } as unknown as Receipt,
    };
  });
}

function sigstoreBundle(statement: unknown): Record<string, unknown> {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: 'MIIC...' } },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: 'MEUCIQ...' }],
    },
  };
}

/** The statement actions/attest makes for `subject-path: evidence/manifest.json, evidence/receipts/*.json`. */
function provenance(receipts: BundledReceipt[], runId = '4242') {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      { name: 'manifest.json', digest: { sha256: 'f'.repeat(64) } },
      ...receipts.map((r) => ({ name: r.name, digest: { sha256: r.sha256 } })),
    ],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/heads/main',
            repository: 'https://github.com/octo/standby',
            path: '.github/workflows/drill.yml',
          },
        },
      },
      runDetails: {
        builder: { id: 'https://github.com/octo/standby/.github/workflows/dr-pipeline.yml@refs/heads/main' },
        metadata: { invocationId: `https://github.com/octo/standby/actions/runs/${runId}/attempts/1` },
      },
    },
  };
}

const DRILL = ['check-health', 'restore-precheck', 'notify', 'request-approval', 'teardown'].map((phase) => ({
  phase,
}));

describe('parseAttestation', () => {
  const receipts = chain(DRILL);

  it('reads the Sigstore bundle actions/attest writes: subjects, receipts among them, the run', () => {
    const parsed = parseAttestation(JSON.stringify(sigstoreBundle(provenance(receipts))));
    expect(parsed.receipts.map((r) => r.name)).toEqual(receipts.map((r) => r.name));
    expect(parsed.subjects).toHaveLength(6);
    expect(parsed).toMatchObject({
      runId: '4242',
      runAttempt: '1',
      repository: 'https://github.com/octo/standby',
      workflowPath: '.github/workflows/drill.yml',
      predicateTypes: ['https://slsa.dev/provenance/v1'],
    });
  });

  it('reads `gh attestation download` JSON Lines and `gh attestation verify --format json` output', () => {
    const line = JSON.stringify(sigstoreBundle(provenance(receipts)));
    expect(parseAttestation(`${line}\n${line}\n`).runId).toBe('4242');
    const verified = JSON.stringify([{ attestation: { bundle: sigstoreBundle(provenance(receipts)) } }]);
    expect(parseAttestation(verified).receipts).toHaveLength(5);
  });

  it('refuses a file that holds no statement, naming what it expected', () => {
    expect(() => parseAttestation('{"hello":1}', 'x.json')).toThrow(AttestationError);
    expect(() => parseAttestation('{"hello":1}', 'x.json')).toThrow(/x\.json holds no in-toto statement/);
    expect(() => parseAttestation('not json\n{', 'y.json')).toThrow(/neither JSON nor JSON Lines/);
  });
});

describe('judgeAnchor', () => {
  const receipts = chain(DRILL);
  const head = receipts.at(-1)?.sha256 as string;

  it('passes when the chain ends at the anchored head with the anchored count', () => {
    expect(judgeAnchor(receipts, { head, count: 5, from: 'expect-head' }, { outOfRun: [] })).toEqual({
      anchored: true,
      problems: [],
      notes: [],
    });
    expect(chainHeadOf(receipts)).toEqual({
      count: 5,
      head: { path: 'receipts/teardown.json', name: 'teardown.json', sha256: head, sequence: 5 },
    });
  });

  it('names a truncated chain, a count that moved, and receipts added after the anchor', () => {
    const truncated = judgeAnchor(
      receipts.slice(0, 4),
      { head, count: 5, from: 'expect-head' },
      { outOfRun: [] },
    );
    expect(truncated.problems.map((p) => p.code)).toEqual(['anchor-head-missing']);
    expect(truncated.problems[0]?.message).toMatch(
      /the bundle's chain ends at request-approval\.json .* \(4 receipts\)$/,
    );
    const earlier = receipts[3]?.sha256 as string;
    const moved = judgeAnchor(receipts, { head: earlier, count: 3, from: 'expect-head' }, { outOfRun: [] });
    expect(moved.problems.map((p) => p.code)).toEqual(['anchor-count-mismatch', 'chain-beyond-anchor']);
    const labelled = judgeAnchor(
      receipts,
      { head: earlier, count: 4, from: 'expect-head' },
      { outOfRun: ['receipts/teardown.json'] },
    );
    expect(labelled).toMatchObject({ anchored: true, problems: [], notes: [{ code: 'after-anchor' }] });
  });

  it('from an attestation: every attested receipt byte for byte, and the attesting run is the execution run', () => {
    const attestation = parseAttestation(JSON.stringify(sigstoreBundle(provenance(receipts))));
    const anchor = anchorFromAttestation(attestation, receipts);
    expect(anchor).toMatchObject({ head, count: 5, from: 'attestation', runId: '4242' });
    expect(judgeAnchor(receipts, anchor, { outOfRun: [], expectedRunId: '4242' }).problems).toEqual([]);
    const edited = receipts.map((r, i) => (i === 1 ? { ...r, sha256: 'e'.repeat(64) } : r));
    expect(judgeAnchor(edited, anchor, { outOfRun: [] }).problems.map((p) => p.code)).toEqual([
      'anchor-receipt-changed',
    ]);
    const other = anchorFromAttestation(
      parseAttestation(JSON.stringify(sigstoreBundle(provenance(receipts, '777')))),
      receipts,
    );
    expect(
      judgeAnchor(receipts, other, { outOfRun: [], expectedRunId: '4242' }).problems.map((p) => p.code),
    ).toEqual(['anchor-run-mismatch']);
  });
});

describe('judgeSources', () => {
  it('takes the run from the execution id, and accepts its receipts (any run attempt, noted)', () => {
    const receipts = chain(DRILL);
    receipts[4] = {
      ...(receipts[4] as BundledReceipt),
      receipt: { ...receipts[4]?.receipt, source: { ...source('4242'), run_attempt: '2' } } as Receipt,
    };
    const verdict = judgeSources(receipts, { executionId: 'drill-4242', emulatorAccepted: false });
    expect(verdict.expectedRun).toEqual({
      runId: '4242',
      repository: 'octo/standby',
      decidedBy: 'execution id',
    });
    expect(verdict.problems).toEqual([]);
    expect(verdict.notes.map((n) => n.code)).toEqual(['run-reattempted']);
  });

  it('names receipts from another run, another repository or a terminal', () => {
    const receipts = chain([
      { phase: 'check-health' },
      { phase: 'validate', source: source('9999') },
      { phase: 'notify', source: { ...source('4242'), repository: 'evil/fork' } },
      { phase: 'promote', source: source(null, '', 'cli') },
    ]);
    const verdict = judgeSources(receipts, { executionId: 'drill-4242', emulatorAccepted: true });
    expect(verdict.foreign).toEqual([
      'receipts/validate.json',
      'receipts/notify.json',
      'receipts/promote.json',
    ]);
    expect(verdict.problems.map((p) => p.message.split(' was written from ')[1]?.split(',')[0])).toEqual([
      'run 9999 attempt 1 of drill.yml in octo/standby',
      'run 4242 attempt 1 of drill.yml in evil/fork',
      'a terminal (actor octocat)',
    ]);
  });

  it('labels teardown/sweep/activate receipts written by their own workflows, and only those', () => {
    const receipts = chain([
      { phase: 'check-health' },
      { phase: 'teardown', source: source('5555', 'teardown.yml') },
      { phase: 'sweep', source: source('6666', 'sweeper.yml') },
      { phase: 'activate', source: source('7777', 'activate.yml') },
      { phase: 'promote', source: source('7777', 'activate.yml') },
      { phase: 'activate', source: source('8888', 'teardown.yml') },
    ]);
    const verdict = judgeSources(receipts, { executionId: 'alarm-4242', emulatorAccepted: false });
    expect(verdict.outOfRun.map((o) => `${o.phase}:${o.workflow}`)).toEqual([
      'teardown:teardown.yml',
      'sweep:sweeper.yml',
      'activate:activate.yml',
    ]);
    expect(verdict.problems.map((p) => p.path)).toEqual(['receipts/promote.json', 'receipts/activate.json']);
  });

  it('an execution run wholly from a terminal is a problem, except in an accepted rehearsal', () => {
    const receipts = chain([{ phase: 'check-health', source: source(null, '', 'cli') }]);
    expect(judgeSources(receipts, { executionId: 'cli-1', emulatorAccepted: false }).problems[0]?.code).toBe(
      'execution-not-from-a-run',
    );
    expect(judgeSources(receipts, { executionId: 'local-1', emulatorAccepted: true }).notes[0]?.code).toBe(
      'source-terminal',
    );
  });

  it('reads run ids from the execution ids the workflows set', () => {
    expect(
      ['drill-123', 'alarm-123', 'dr-123', 'freshness-123', 'gh-123-1-failback-plan', 'local-2026', 'x'].map(
        runIdFromExecutionId,
      ),
    ).toEqual(['123', '123', '123', '123', '123', undefined, undefined]);
  });
});

describe('judgeRunKind', () => {
  it('from the execution id and the writing workflow; the alarm rule for alarm runs and unknown runs', () => {
    const kind = (id: string, workflow?: string) =>
      judgeRunKind(
        id,
        chain([
          { phase: 'check-health', source: workflow ? source('1', workflow) : source(null, '', 'cli') },
        ]),
      );
    expect(kind('alarm-1', 'alarm.yml')).toMatchObject({ kind: 'alarm', alarmRequired: true, problems: [] });
    expect(kind('drill-1', 'drill.yml')).toMatchObject({ kind: 'drill', alarmRequired: false });
    expect(kind('dr-1', 'dr-pipeline.yml')).toMatchObject({ kind: 'dr', alarmRequired: false });
    expect(kind('local-1')).toMatchObject({ kind: 'local', alarmRequired: false });
    expect(kind('gh-1')).toMatchObject({ kind: 'unknown', alarmRequired: true });
    const relabelled = kind('drill-1', 'alarm.yml');
    expect(relabelled).toMatchObject({ kind: 'alarm', alarmRequired: true });
    expect(relabelled.problems[0]?.code).toBe('run-kind-mismatch');
    expect(workflowFile(`${WORKFLOWS}/alarm.yml@refs/tags/v1`)).toBe('alarm.yml');
  });
});

describe('judgeVersions', () => {
  const version = (id: string, latest: boolean, deleteMarker = false) => ({
    version_id: id,
    latest,
    last_modified: '2026-11-21T21:10:00.000Z',
    bytes: deleteMarker ? null : 900,
    delete_marker: deleteMarker,
  });
  const record = (
    receipts: VersionsRecord['receipts'],
    status: VersionsRecord['status'] = 'Enabled',
  ): VersionsRecord => ({
    status,
    error: null,
    receipts,
  });

  it('counts versions per receipt and flags more than one, and delete markers', () => {
    const verdict = judgeVersions(
      record({
        'receipts/a.json': [version('v1', true)],
        'receipts/b.json': [version('v3', true), version('v2', false)],
        'receipts/c.json': [version('v5', true, true), version('v4', false)],
      }),
      { requireVersioning: false },
    );
    expect(verdict.report).toEqual({
      status: 'Enabled',
      counts: { 'receipts/a.json': 1, 'receipts/b.json': 2, 'receipts/c.json': 1 },
    });
    expect(verdict.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
      'receipt-overwritten receipts/b.json',
      'receipt-deleted receipts/c.json',
    ]);
  });

  it('says what an unversioned, suspended or unreadable bucket cannot show; --require-versioning makes it a problem', () => {
    expect(judgeVersions(record({}, 'Disabled'), { requireVersioning: false }).notes[0]?.code).toBe(
      'versioning-off',
    );
    expect(judgeVersions(record({}, 'Suspended'), { requireVersioning: false }).notes[0]?.code).toBe(
      'versioning-suspended',
    );
    expect(
      judgeVersions({ status: 'unknown', error: 'AccessDenied', receipts: {} }, { requireVersioning: true })
        .problems[0]?.message,
    ).toMatch(/could not be read at collection \(AccessDenied\): grant s3:ListBucketVersions/);
    expect(judgeVersions(undefined, { requireVersioning: false }).notes[0]?.code).toBe(
      'versions-not-collected',
    );
  });
});
