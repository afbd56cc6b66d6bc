import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { restore, seed, statePath } from '../helpers/runner-backup.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';

/**
 * Issue 19.8: restore caps how far an archive may expand. A real zstd bomb (1 GiB of zeros in a tar,
 * ~33 KB compressed) goes through restore.sh itself on the stub aws / fake k3s sandbox.
 */
const BUILD_BOMB = 'truncate -s 1G state/big.bin && tar -C state -cf - . | zstd -q -o state.tar.zst';
// Compressing the gigabyte costs seconds of CPU: the bomb is built once for this file (by seed itself, in
// beforeAll) and each test that needs one copies it.
let BOMB = BUILD_BOMB;
beforeAll(() => {
  const maker = new RunnerSandbox();
  seed(maker, { state: BUILD_BOMB });
  BOMB = `cp '${maker.path('build', 'state.tar.zst')}' state.tar.zst`;
});
const HONEST = 'tar -C state -cf state.tar . && zstd -q state.tar -o state.tar.zst';
const GIB = 1024 ** 3;
// Stub df (test/fixtures/runner/df-bin/df) ahead of the real one, to set the free space.
const withFreeSpace = (bytes: number) => ({
  PATH: `${path.resolve('test/fixtures/runner/df-bin')}:${path.resolve('test/fixtures/runner/bin')}:${process.env.PATH}`,
  FAKE_DF_AVAIL: String(bytes),
});
type Artifacts = Record<string, { bytes: number; raw_bytes?: unknown }>;
const declare = (state: unknown, manifests?: unknown) => (m: { artifacts: Artifacts }) => {
  if (state !== undefined) (m.artifacts['state.tar.zst'] as { raw_bytes?: unknown }).raw_bytes = state;
  if (manifests !== undefined)
    (m.artifacts['manifests.tar.zst'] as { raw_bytes?: unknown }).raw_bytes = manifests;
};

function refused(result: ReturnType<typeof restore>, sandbox: RunnerSandbox, why: RegExp) {
  expect(result.code).toBe(1);
  expect(result.report).toMatchObject({ ok: false, step: 'extract-state', files_restored: 0 });
  expect(result.report?.error).toMatch(why);
  expect(existsSync(statePath(sandbox))).toBe(false);
  // Nothing of the bomb is left behind on the runner's disk.
  expect(existsSync(sandbox.path('var-lib-standby', 'work'))).toBe(true);
  const leftover = (statSync(sandbox.path('var-lib-standby', 'work')).nlink ?? 2) - 2;
  expect(leftover).toBe(0);
}

describe('restore.sh: the expansion cap (issue 19.8)', () => {
  it('19.8: a zstd bomb expanding past its declared raw_bytes is refused, decompression stopped at the limit', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { state: BOMB, metadata: declare(20480) });
    expect(statSync(sandbox.path('build', 'state.tar.zst')).size).toBeLessThan(64 * 1024);
    const started = Date.now();
    const result = restore(sandbox);
    refused(
      result,
      sandbox,
      /^extract-state: state\.tar\.zst expands past 1069260 bytes, its declared raw_bytes 20480 \(\+1% \+1 MiB\): refused/,
    );
    // 1 MiB written, not 1 GiB: well under what decompressing the whole bomb to disk takes.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('19.8: an archive within its declaration (the size standby backup writes) restores', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { state: HONEST, metadata: declare(10240, 20480) });
    const result = restore(sandbox);
    expect(result.stderr).not.toMatch(/command failed/);
    expect(result.report).toMatchObject({ ok: true, files_restored: 2 });
  });

  it('19.8: no declared size: capped at 80% of the free space by default', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { state: BOMB });
    refused(
      restore(sandbox, withFreeSpace(32 * 1024 * 1024)),
      sandbox,
      /state\.tar\.zst expands past 26843545 bytes, no declared raw_bytes: the cap 80% \(STANDBY_UNDECLARED_CAP\)/,
    );
  });

  it('19.8: STANDBY_UNDECLARED_CAP sets the cap for an undeclared archive, as bytes or a percentage', () => {
    const bomb = new RunnerSandbox();
    seed(bomb, { state: BOMB });
    refused(
      restore(bomb, { STANDBY_UNDECLARED_CAP: '1048576' }),
      bomb,
      /expands past 1048576 bytes, no declared raw_bytes: the cap 1048576/,
    );
    const honest = new RunnerSandbox();
    seed(honest, { state: HONEST });
    expect(restore(honest, { STANDBY_UNDECLARED_CAP: '5%' }).report).toMatchObject({ ok: true });
  });

  it('19.8: restore.sh accepts and refuses the same cap values as the restore input (one table)', () => {
    const cases = JSON.parse(readFileSync('test/fixtures/undeclared-size-cap-cases.json', 'utf8')) as {
      valid: string[];
      invalid: string[];
    };
    const sandbox = new RunnerSandbox();
    seed(sandbox, { state: HONEST });
    for (const good of cases.valid)
      expect([good, restore(sandbox, { STANDBY_UNDECLARED_CAP: good }).report?.ok]).toEqual([good, true]);
    // A bad cap is refused at the start, before anything is downloaded (the stub aws logs every copy).
    const downloads = () =>
      existsSync(sandbox.path('aws.log')) ? readFileSync(sandbox.path('aws.log'), 'utf8') : '';
    for (const bad of cases.invalid) {
      const before = downloads();
      const report = restore(sandbox, { STANDBY_UNDECLARED_CAP: bad }).report;
      expect([bad, report?.step, report?.error, downloads() === before]).toEqual([
        bad,
        'start',
        expect.stringMatching(/STANDBY_UNDECLARED_CAP is neither a byte count nor a percentage/),
        true,
      ]);
    }
  });

  it('19.8: a declaration larger than the free space is bounded by the free space', () => {
    const sandbox = new RunnerSandbox();
    seed(sandbox, { state: BOMB, metadata: declare(2 * GIB) });
    refused(
      restore(sandbox, withFreeSpace(16 * 1024 * 1024)),
      sandbox,
      /expands past 16777216 bytes, the free space where it is decompressed \(16777216 bytes\)/,
    );
  });

  it('19.8: a raw_bytes that is not a byte count is refused before anything is decompressed', () => {
    for (const raw of [-5, 1.5, '1e9', 'lots']) {
      const sandbox = new RunnerSandbox();
      seed(sandbox, { state: HONEST, metadata: declare(raw) });
      const result = restore(sandbox);
      expect(result.code).toBe(1);
      expect(result.report?.error).toMatch(/metadata\.json raw_bytes of state\.tar\.zst is not a byte count/);
    }
  });
});
