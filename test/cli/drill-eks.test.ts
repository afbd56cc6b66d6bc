import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { type Receipt, ReceiptSchema } from '../../src/receipts/envelope.js';
import { captureTerminal } from '../helpers/terminal.js';

// `standby drill --local --target-kind eks` (issue 22, "Proof"): the same rehearsal for an eks target,
// through the real CLI on its own emulator.

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function drill(args: string[]) {
  const term = captureTerminal();
  const saved = { ...process.env };
  try {
    return { code: await runCli(['drill', '--local', ...args], term), term };
  } finally {
    process.env = saved;
  }
}

async function tempBase(): Promise<string> {
  const base = await mkdtemp(path.join(tmpdir(), 'standby-drill-eks-'));
  dirs.push(base);
  return base;
}

const EKS_TARGET = { name: 'batch-eks', kind: 'eks' };

describe('standby drill --local --target-kind eks', () => {
  it('records the target in every receipt, names it in the report, says what an eks run does where it cannot run, and its evidence verifies', async () => {
    const evidenceDir = path.join(await tempBase(), 'evidence');
    const { code, term } = await drill([
      '--target-kind',
      'eks',
      '--target',
      'batch-eks',
      '--json',
      '--execution-id',
      'local-eks-1',
      '--evidence-dir',
      evidenceDir,
    ]);
    expect(term.stderr.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(term.stdout.join('\n'));
    expect(report.target).toEqual(EKS_TARGET);
    expect(report.evidence.verified).toBe(true);

    // Every receipt of the execution, run or not run, is for the eks target.
    const files = (await readdir(path.join(evidenceDir, 'receipts'))).sort();
    expect(files).toHaveLength(10);
    const receipts: Record<string, Receipt> = Object.fromEntries(
      await Promise.all(
        files.map(async (file) => [
          file.replace(/\.json$/, ''),
          ReceiptSchema.parse(JSON.parse(await readFile(path.join(evidenceDir, 'receipts', file), 'utf8'))),
        ]),
      ),
    );
    for (const receipt of Object.values(receipts)) expect(receipt.target).toEqual(EKS_TARGET);

    // The phases the emulator runs ran; the cluster's are not run, saying what an eks run does there.
    const status = (phase: string) =>
      report.timeline.find((t: { phase: string }) => t.phase === phase)?.status;
    expect(['check-health', 'restore-precheck', 'notify', 'request-approval'].map(status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    const notRun = (phase: string) => receipts[phase]?.outputs['not-run'];
    expect(receipts.bringup?.status).toBe('skipped');
    expect(notRun('bringup')).toMatch(/Terraform.*target_kind eks.*node group/);
    expect(notRun('restore')).toMatch(/kubectl against the EKS cluster.*loader pod.*node group/);
    expect(notRun('validate')).toMatch(/kubectl against the EKS cluster/);
    expect(notRun('teardown')).toMatch(/node group, never the cluster/);
    expect(notRun('restore')).not.toMatch(/k3s/);

    // The reviewer summary names the target too, and its restore preview is the eks restore's plan: a
    // claim on a new storage-class volume, every workload pinned to this execution's node group.
    const summary = receipts['request-approval']?.outputs['summary-json'] as { target?: unknown };
    expect(summary.target).toEqual(EKS_TARGET);
    expect(report.restorePreview).toMatchObject({
      preview: {
        plan: {
          state: { claim: 'jobintel-state', volume: null, storage_class: 'gp3' },
          pinning: { node_selector: { 'standby.dev/execution': 'local-eks-1' } },
        },
      },
    });

    // The bundle passes `standby evidence check` as the k3s one does (as an emulator bundle).
    const check = captureTerminal();
    expect(await runCli(['evidence', 'check', evidenceDir, '--accept-emulator'], check)).toBe(EXIT.ok);
  }, 120_000);

  it('names the target and kind in the printed report (plan-only drill, eks)', async () => {
    const bundleDir = path.join(await tempBase(), 'plan');
    const { code, term } = await drill([
      '--plan',
      '--target-kind',
      'eks',
      '--execution-id',
      'plan-eks-1',
      '--evidence-dir',
      bundleDir,
    ]);
    expect(code).toBe(EXIT.ok);
    const text = term.stdout.join('\n');
    expect(text).toContain('Target: default (eks)');
    expect(text).toMatch(/node group/);
    const bringup = JSON.parse(await readFile(path.join(bundleDir, 'plan', 'bringup.json'), 'utf8'));
    expect(bringup).toMatchObject({ status: 'skipped', target: { name: 'default', kind: 'eks' } });
  }, 120_000);
});

describe('standby drill --local refuses a malformed target before anything runs', () => {
  it.each([
    [['--target', 'Batch_EKS'], '--target', 'is not a target name'],
    [['--target', '-x'], '--target', 'is not a target name'],
    [['--target-kind', 'gke'], '--target-kind', 'is not a target kind: use k3s or eks'],
  ])('%j: usage error naming the flag, no evidence written', async (flags, flag, detail) => {
    const evidenceDir = path.join(await tempBase(), 'evidence');
    const { code, term } = await drill([...flags, '--evidence-dir', evidenceDir]);
    expect(code).toBe(EXIT.usage);
    const err = term.stderr.join('\n');
    expect(err).toContain(flag);
    expect(err).toContain(detail);
    expect(err).not.toContain('AWS emulator at'); // refused before the emulator started
    expect(term.stdout).toEqual([]);
    await expect(access(evidenceDir)).rejects.toThrow();
  });
});
