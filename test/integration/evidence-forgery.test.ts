import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { DRILL_REQUIRED_PHASES } from '../../src/evidence/bundle.js';
import { readBundleDir } from '../../src/evidence/bundle-files.js';
import { parseBundledReceipts } from '../../src/evidence/bundled-receipts.js';
import { type CheckOptions, checkBundle, DEFAULT_CHECK_OPTIONS } from '../../src/evidence/check.js';
import { collectEvidence } from '../../src/evidence/collect.js';
import type { SourceProofs } from '../../src/evidence/source-proof.js';
import type { WorkflowRun } from '../../src/github/types.js';
import { serializeReceipt } from '../../src/receipts/envelope.js';
import { currentSource } from '../../src/receipts/source.js';
import { useEmulator } from '../helpers/emulator.js';
import { startGitHubStandIn } from '../helpers/github-api.js';
import {
  actionsEnv,
  editReceipt,
  fixturePath,
  GOLDEN_RUN,
  type GoldenRun,
  makeGoldenRun,
  relinkChain,
  resealManifest,
} from '../helpers/golden-bundle.js';
import { receiptDraft } from '../helpers/receipt-draft.js';
import { captureTerminal } from '../helpers/terminal.js';

/**
 * The forgeries of issue 13, each done the way someone with write access to the receipt bucket would do
 * it (every role has plain s3:PutObject on receipts), then collected and checked. Each one verified
 * before the chain was anchored and sources and versions were checked.
 */
useEmulator();

const rehearsal: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, acceptEmulator: true };
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function collect(run: GoldenRun) {
  const base = await mkdtemp(join(tmpdir(), 'standby-forgery-'));
  dirs.push(base);
  const outDir = join(base, 'bundle');
  await collectEvidence({
    receipts: run.store,
    outDir,
    alarmHistoryFiles: [fixturePath('describe-alarm-history.json')],
  });
  return readBundleDir(outDir);
}

/**
 * What the run published when it ended (its job summary): the sha256 of its last receipt and the count,
 * computed here from the files themselves, not by the code under test.
 */
function publishedHead(files: Awaited<ReturnType<typeof collect>>) {
  const { receipts } = parseBundledReceipts(files); // sorted by sequence
  return { expectHead: receipts.at(-1)?.sha256 as string, expectCount: receipts.length };
}

const codes = (files: Awaited<ReturnType<typeof collect>>, options: CheckOptions) =>
  checkBundle(files, options).problems.map((p) => p.code);

describe('forgeries that verified before, and are caught now', () => {
  it('edit + relink with a new manifest: the chain no longer reaches the published head', async () => {
    const files = await collect(await makeGoldenRun());
    expect(checkBundle(files, rehearsal).verified).toBe(true);
    const anchor = publishedHead(files);
    const forged = resealManifest(
      relinkChain(
        editReceipt(files, 'restore.json', (r) => {
          r.outputs = { restored: 'everything', note: 'edited after the run' };
        }),
      ),
      'drill-golden',
    );
    // Every hash and the manifest are consistent again: without the anchor this verifies.
    expect(checkBundle(forged, rehearsal).verified).toBe(true);
    const report = checkBundle(forged, { ...rehearsal, ...anchor });
    expect(report.verified).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['anchor-head-missing']);
    expect(report.problems[0]?.message).toMatch(
      new RegExp(`^the anchored head sha256 ${anchor.expectHead} \\(10 receipts\\) is not in the bundle`),
    );
  });

  it('an "ok" attempt appended from a terminal: named as a foreign receipt', async () => {
    const run = await makeGoldenRun({ status: { validate: 'failed' } });
    expect(codes(await collect(run), rehearsal)).toEqual(['status-not-ok']);
    // The forger writes validate.attempt-2.json with status ok through the normal store: chain and
    // attempt numbering are perfect, only the source says who wrote it.
    await run.store.write(
      receiptDraft({
        execution_id: run.executionId,
        phase: 'validate',
        started_at: '2026-11-21T21:06:00.000Z',
        ended_at: '2026-11-21T21:06:01.000Z',
        aws: {
          account_id: '123456789012',
          region: 'us-east-1',
          endpoint: process.env.AWS_ENDPOINT_URL ?? null,
        },
      }),
    );
    const report = checkBundle(await collect(run), rehearsal);
    expect(report.phases.find((p) => p.phase === 'validate')).toMatchObject({
      outcome: 'passed',
      attempt: 2,
    });
    expect(report.problems.map((p) => p.code)).toEqual(['receipt-foreign-source']);
    expect(report.problems[0]?.message).toBe(
      "receipts/validate.attempt-2.json (validate, status ok) was written from a terminal (actor test), not by the execution's run 4242: a receipt from outside the run is not evidence of it",
    );
  });

  it('an "ok" attempt appended by another run (of the same repository) is named too', async () => {
    const run = await makeGoldenRun({ status: { validate: 'failed' } });
    const other = actionsEnv({ runId: '9999', workflow: GOLDEN_RUN.workflow });
    await run.store.write(
      receiptDraft({
        execution_id: run.executionId,
        phase: 'validate',
        started_at: '2026-11-21T21:06:00.000Z',
        ended_at: '2026-11-21T21:06:01.000Z',
        source: currentSource(other),
        aws: {
          account_id: '123456789012',
          region: 'us-east-1',
          endpoint: process.env.AWS_ENDPOINT_URL ?? null,
        },
      }),
    );
    const report = checkBundle(await collect(run), rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['receipt-foreign-source']);
    expect(report.problems[0]?.message).toMatch(
      /was written from run 9999 attempt 1 of drill\.yml in octo\/standby/,
    );
  });

  it('an overwrite in place (plain PutObject over the last receipt): a second S3 version', async () => {
    const run = await makeGoldenRun();
    const key = 'standby/receipts/drill-golden/teardown.json';
    const original = await run.store.read(key);
    const edited = { ...original.receipt, outputs: { destroyed: true, note: 'rewritten in place' } };
    // The head can be rewritten without breaking any link: nothing points at it.
    await run.aws.s3.send(
      new PutObjectCommand({
        Bucket: run.store.location.bucket,
        Key: key,
        Body: serializeReceipt(edited as never),
      }),
    );
    const files = await collect(run);
    const report = checkBundle(files, rehearsal);
    expect(report.problems.map((p) => p.code)).toEqual(['receipt-overwritten']);
    expect(report.problems[0]?.message).toMatch(
      /^receipts\/teardown\.json has 2 versions in S3 \(.* \(current\), .*\): it was overwritten after it was written/,
    );
    expect(report.versions.status).toBe('Enabled');
    expect(report.versions.counts['receipts/teardown.json']).toBe(2);
    expect(report.versions.counts['receipts/check-health.json']).toBe(1);
  });

  it('a truncated chain (the head removed): caught by --expect-head, and by the delete marker', async () => {
    const run = await makeGoldenRun({ phases: [...DRILL_REQUIRED_PHASES, 'failure'] });
    const before = await collect(run);
    expect(codes(before, rehearsal)).toEqual(['run-failed']);
    const head = publishedHead(before);
    expect(parseBundledReceipts(before).receipts.at(-1)?.name).toBe('failure.json');
    // Delete the failure receipt (the head): what is left is a complete, valid, successful chain.
    await run.aws.s3.send(
      new DeleteObjectCommand({
        Bucket: run.store.location.bucket,
        Key: 'standby/receipts/drill-golden/failure.json',
      }),
    );
    const after = await collect(run);
    const withoutAnchor = checkBundle(after, rehearsal);
    expect(withoutAnchor.problems.map((p) => p.code)).toEqual(['receipt-deleted']);
    const anchored = checkBundle(after, { ...rehearsal, ...head });
    expect(anchored.problems.map((p) => p.code)).toEqual(['anchor-head-missing', 'receipt-deleted']);
  });

  it('a truncated chain in a bucket without versioning: only the anchor sees it', async () => {
    const run = await makeGoldenRun({ phases: [...DRILL_REQUIRED_PHASES, 'failure'], versioning: false });
    const published = publishedHead(await collect(run));
    await run.aws.s3.send(
      new DeleteObjectCommand({
        Bucket: run.store.location.bucket,
        Key: 'standby/receipts/drill-golden/failure.json',
      }),
    );
    const files = await collect(run);
    const report = checkBundle(files, rehearsal);
    expect(report.problems).toEqual([]);
    expect(report.notes.map((n) => n.code)).toContain('versioning-off');
    expect(codes(files, { ...rehearsal, ...published })).toEqual(['anchor-head-missing']);
  });
});

/** GitHub's record of run `id` (GET /repos/{o}/{r}/actions/runs/{id}), shaped as its REST docs show it. */
function runRecord(id: string, overrides: Partial<WorkflowRun> = {}): WorkflowRun {
  return {
    id: Number(id),
    run_number: 12,
    event: 'workflow_dispatch',
    workflow_id: 161335,
    head_sha: 'a'.repeat(40),
    name: 'Tear down a standby',
    path: '.github/workflows/teardown.yml',
    head_branch: 'main',
    status: 'completed',
    conclusion: 'success',
    html_url: `https://github.com/octo/standby/actions/runs/${id}`,
    created_at: '2026-11-22T09:00:00Z',
    updated_at: '2026-11-22T09:10:00Z',
    repository: { full_name: 'octo/standby' },
    ...overrides,
  };
}
const proofs = (runs: SourceProofs['runs']): SourceProofs => ({ runs, protectedBranch: 'main' });

async function appendTeardown(run: GoldenRun, runId: string, status: 'ok' | 'failed' = 'ok') {
  await run.store.write(
    receiptDraft({
      execution_id: run.executionId,
      phase: 'teardown',
      status,
      started_at: '2026-11-22T09:00:00.000Z',
      ended_at: '2026-11-22T09:10:00.000Z',
      source: currentSource(
        actionsEnv({ runId, workflow: 'octo/standby/.github/workflows/teardown.yml@refs/heads/main' }),
      ),
      aws: {
        account_id: '123456789012',
        region: 'us-east-1',
        endpoint: process.env.AWS_ENDPOINT_URL ?? null,
      },
    }),
  );
}

describe('receipts written outside the run count only when GitHub confirms their run (issue 19.2)', () => {
  it('a manual teardown by teardown.yml after the report: unverified until GitHub confirms the run, then labelled', async () => {
    const run = await makeGoldenRun({ phases: DRILL_REQUIRED_PHASES.filter((p) => p !== 'teardown') });
    const files = await collect(run);
    expect(checkBundle(files, { ...rehearsal, require: DRILL_REQUIRED_PHASES.slice(0, -1) }).verified).toBe(
      true,
    );
    const anchor = publishedHead(files);
    await appendTeardown(run, '5555');
    const bundle = await collect(run);

    // Without GitHub: the receipt is only what its writer said. Never "verified".
    const unproven = checkBundle(bundle, { ...rehearsal, ...anchor });
    expect(unproven.verified).toBe(false);
    expect(unproven.problems.map((p) => p.code)).toEqual(['receipt-source-unproven']);
    expect(unproven.problems[0]?.message).toContain('--verify-sources');
    expect(unproven.outOfRun).toEqual([
      {
        path: 'receipts/teardown.json',
        phase: 'teardown',
        runId: '5555',
        workflow: 'teardown.yml',
        repository: 'octo/standby',
      },
    ]);

    // GitHub confirms run 5555: teardown.yml, on the protected branch, succeeded.
    const proven = checkBundle(bundle, {
      ...rehearsal,
      ...anchor,
      sourceProofs: proofs({ 5555: { run: runRecord('5555') } }),
    });
    expect(proven.problems).toEqual([]);
    expect(proven.verified).toBe(true);
    expect(proven.notes.map((n) => n.code)).toEqual(['receipt-out-of-run', 'after-anchor']);
    expect(proven.notes[0]?.message).toBe(
      "receipts/teardown.json (teardown) says run 5555 of teardown.yml wrote it, outside the execution's run: confirmed with GitHub (run 5555 ran .github/workflows/teardown.yml on 'main' and succeeded)",
    );

    // GitHub disagrees: each is a problem that names what GitHub said.
    const against = (lookup: SourceProofs['runs'][string]) =>
      checkBundle(bundle, { ...rehearsal, ...anchor, sourceProofs: proofs({ 5555: lookup }) }).problems.map(
        (p) => p.message,
      );
    expect(against({ missing: 'GitHub answered 404 for run 5555 in octo/standby' })).toEqual([
      expect.stringContaining('GitHub answered 404 for run 5555'),
    ]);
    expect(against({ run: runRecord('5555', { path: '.github/workflows/evil.yml' }) })).toEqual([
      expect.stringContaining("ran '.github/workflows/evil.yml', not .github/workflows/teardown.yml"),
    ]);
    expect(against({ run: runRecord('5555', { head_branch: 'attacker-branch' }) })).toEqual([
      expect.stringContaining("ran on branch 'attacker-branch', not on the protected branch 'main'"),
    ]);
    expect(against({ run: runRecord('5555', { conclusion: 'failure' }) })).toEqual([
      expect.stringContaining("concluded 'failure', not 'success'"),
    ]);
    expect(against({ run: runRecord('5555', { repository: { full_name: 'mallory/fork' } }) })).toEqual([
      expect.stringContaining('belongs to mallory/fork, not octo/standby'),
    ]);
  });

  it('a failed drill is not turned into "verified" by a planted ok teardown claiming teardown.yml', async () => {
    // The drill's own teardown failed (a runner may be left running); the attacker appends an ok one.
    const failed = await makeGoldenRun({ executionId: 'drill-golden5', status: { teardown: 'failed' } });
    expect(checkBundle(await collect(failed), rehearsal).verified).toBe(false);
    await appendTeardown(failed, '6666');
    const bundle = await collect(failed);
    const plain = checkBundle(bundle, rehearsal);
    expect(plain.verified).toBe(false);
    expect(plain.problems.map((p) => p.code)).toEqual(['receipt-source-unproven']);
    // GitHub knows no run 6666: still a problem.
    const invented = checkBundle(bundle, {
      ...rehearsal,
      sourceProofs: proofs({ 6666: { missing: 'GitHub answered 404 for run 6666 in octo/standby' } }),
    });
    expect(invented.verified).toBe(false);
  });

  it('a receipt for a phase the other run may not write is a problem whatever GitHub says', async () => {
    const teardownRun = actionsEnv({
      runId: '5555',
      workflow: 'octo/standby/.github/workflows/teardown.yml@refs/heads/main',
    });
    const forged = await makeGoldenRun({
      executionId: 'drill-golden3',
      phases: DRILL_REQUIRED_PHASES.filter((p) => p !== 'promote' && p !== 'teardown'),
    });
    await forged.store.write(
      receiptDraft({
        execution_id: forged.executionId,
        phase: 'promote',
        started_at: '2026-11-22T09:00:00.000Z',
        source: currentSource(teardownRun),
        aws: {
          account_id: '123456789012',
          region: 'us-east-1',
          endpoint: process.env.AWS_ENDPOINT_URL ?? null,
        },
      }),
    );
    const codesOf = checkBundle(await collect(forged), {
      ...rehearsal,
      require: ['check-health'],
      sourceProofs: proofs({ 5555: { run: runRecord('5555') } }),
    }).problems.map((p) => p.code);
    expect(codesOf).toEqual(['receipt-foreign-source']);
  });
});

describe('standby evidence check --verify-sources asks GitHub over HTTP (issue 19.2)', () => {
  it('proves a manual teardown with the run GitHub knows; without the flag the bundle is unverified', async () => {
    const run = await makeGoldenRun({
      executionId: 'drill-golden6',
      phases: DRILL_REQUIRED_PHASES.filter((p) => p !== 'teardown'),
    });
    await appendTeardown(run, '5555');
    const base = await mkdtemp(join(tmpdir(), 'standby-verify-sources-'));
    dirs.push(base);
    const dir = join(base, 'bundle');
    await collectEvidence({
      receipts: run.store,
      outDir: dir,
      alarmHistoryFiles: [fixturePath('describe-alarm-history.json')],
    });
    const github = await startGitHubStandIn({
      'GET /repos/octo/standby': [
        { status: 200, body: { full_name: 'octo/standby', default_branch: 'main' } },
      ],
      'GET /repos/octo/standby/actions/runs/5555': [{ status: 200, body: runRecord('5555') }],
    });
    const saved = { ...process.env };
    try {
      process.env.GH_TOKEN = 'ghp_stand-in-token';
      process.env.GITHUB_API_URL = github.url;
      const plain = captureTerminal();
      expect(await runCli(['evidence', 'check', dir, '--accept-emulator', '--json'], plain)).toBe(
        EXIT.attention,
      );
      expect(github.requests).toEqual([]);
      const verified = captureTerminal();
      expect(
        await runCli(['evidence', 'check', dir, '--accept-emulator', '--verify-sources', '--json'], verified),
      ).toBe(EXIT.ok);
      const report = JSON.parse(verified.stdout.join('\n'));
      expect(report.verified).toBe(true);
      expect(github.requests.map((r) => r.url)).toEqual([
        '/repos/octo/standby',
        '/repos/octo/standby/actions/runs/5555',
      ]);
      expect(github.requests[1]?.headers.authorization).toBe('token ghp_stand-in-token');
      // The run ran on another branch: GitHub answers, the receipt stays unproven.
      const onBranch = captureTerminal();
      expect(
        await runCli(
          [
            'evidence',
            'check',
            dir,
            '--accept-emulator',
            '--verify-sources',
            '--protected-branch',
            'release',
            '--json',
          ],
          onBranch,
        ),
      ).toBe(EXIT.attention);
      expect(JSON.parse(onBranch.stdout.join('\n')).problems.map((p: { code: string }) => p.code)).toEqual([
        'receipt-source-unproven',
      ]);
    } finally {
      process.env = saved;
      await github.close();
    }
  });
});
