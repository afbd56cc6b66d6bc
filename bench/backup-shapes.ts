// Benchmark (issue 24): `standby backup`'s archive step (deterministic tar writer → node:zlib zstd -3 →
// file, sha256 in the same pass) against `tar -cf - . | zstd -3 -T1` plus `sha256sum` of the result, over
// the same tree, in the same run, for three shapes of state:
//   small  32,768 files × 4 KiB (128 MiB)
//   mixed  ~1 GiB in ~34,000 files, sizes log-uniform from 512 B to 256 KiB (the issue's tree: 36,994)
//   large  128 files × 8 MiB (1 GiB)
// Half of the files are incompressible (random), half compressible (JSON lines). Each side runs as its
// own child process, so its peak RSS is the child's VmHWM (/proc/<pid>/status), read just before it exits.
// BENCH_SHAPES=small,large and BENCH_SCALE=0.25 (fraction of every size) make a quicker run; BENCH_ROUNDS
// (default 3) rounds each, medians. BENCH_BEFORE=<a bundle of this bench built from an earlier commit>
// (`npx ncc build bench/backup-shapes.ts -o /tmp/before` on that commit) adds its standby child to every
// round, between the baseline and this tree's, so before and after share the machine's load.
// Run: sh scripts/bench.sh backup-shapes
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { compressToFile } from '../src/backup/artifact-file.js';
import { STATE_MARKER_FILE } from '../src/backup/create.js';
import { tarStreamWithMarker } from '../src/backup/tar-writer.js';
import { walkTree } from '../src/backup/tree.js';
import { makeTree, sizesOf } from './shape-trees.js';

const MIB = 1024 * 1024;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SHAPES = (process.env.BENCH_SHAPES ?? 'small,mixed,large').split(',');
const log = (message: string) => console.error(`bench: ${message}`);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Child mode: archive one tree the way `standby backup` does, then report time and VmHWM. */
async function child(tree: string, out: string) {
  const start = process.hrtime.bigint();
  const artifact = await compressToFile(
    tarStreamWithMarker(walkTree(tree, new Set([STATE_MARKER_FILE])), STATE_MARKER_FILE, () => {}),
    out,
    { level: 3 },
  );
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  console.log(
    JSON.stringify({ s, rssMiB: Number(hwm) / 1024, bytes: artifact.bytes, sha256: artifact.sha256 }),
  );
}

const BEFORE = process.env.BENCH_BEFORE;

function ours(tree: string, out: string, script = process.argv[1] as string) {
  const run = spawnSync(process.execPath, [script, 'child', tree, out], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`standby archive failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { s: number; rssMiB: number; bytes: number; sha256: string };
}

/** tar | zstd -3 -T1, then sha256sum: GNU time's %M is each process's max RSS (its VmHWM). */
function baseline(tree: string, out: string) {
  const start = process.hrtime.bigint();
  const run = spawnSync(
    'bash',
    [
      '-c',
      `set -eo pipefail
       /usr/bin/time -f 'rss %M' tar -C "$1" -cf - . 2>"$2.t1" | /usr/bin/time -f 'rss %M' zstd -q -3 -T1 -o "$2" 2>"$2.t2"
       /usr/bin/time -f 'rss %M' sha256sum "$2" >/dev/null 2>"$2.t3"
       cat "$2.t1" "$2.t2" "$2.t3"`,
      'bench',
      tree,
      out,
    ],
    { encoding: 'utf8' },
  );
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`tar | zstd failed: ${run.stderr}`);
  const rssMiB = Math.max(...[...run.stdout.matchAll(/rss (\d+)/g)].map((m) => Number(m[1]))) / 1024;
  return { s, rssMiB, bytes: statSync(out).size };
}

async function main() {
  const rows: string[] = [];
  const beforeRows: string[] = [];
  for (const shape of SHAPES) {
    const work = mkdtempSync(path.join(tmpdir(), `standby-bench-${shape}-`));
    try {
      const tree = path.join(work, 'state');
      const sizes = sizesOf(shape, SCALE);
      const rawMiB = sizes.reduce((a, b) => a + b, 0) / MIB;
      log(`${shape}: writing ${sizes.length} files, ${rawMiB.toFixed(0)} MiB`);
      makeTree(tree, sizes);
      const mine: ReturnType<typeof ours>[] = [];
      const theirs: ReturnType<typeof baseline>[] = [];
      const before: ReturnType<typeof ours>[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const a = path.join(work, 'ours.tar.zst');
        const b = path.join(work, 'base.tar.zst');
        theirs.push(baseline(tree, b));
        if (BEFORE) {
          before.push(ours(tree, a, path.join(BEFORE, 'index.js')));
          rmSync(a);
        }
        mine.push(ours(tree, a));
        rmSync(a);
        rmSync(b);
        log(
          `${shape} round ${round + 1}: standby ${mine.at(-1)?.s.toFixed(2)} s${BEFORE ? ` (before ${before.at(-1)?.s.toFixed(2)} s)` : ''}, tar|zstd+sha256sum ${theirs.at(-1)?.s.toFixed(2)} s, load ${loadavg()[0]?.toFixed(1)}`,
        );
      }
      const o = median(mine.map((r) => r.s));
      const t = median(theirs.map((r) => r.s));
      // The archive is deterministic: every child, before and after, must give the same bytes.
      const digests = new Set([...mine, ...before].map((r) => r.sha256));
      if (digests.size !== 1) throw new Error(`${shape}: archives differ: ${[...digests].join(', ')}`);
      const digest = `${[...digests][0]?.slice(0, 12)}…`;
      if (BEFORE) {
        const p = median(before.map((r) => r.s));
        beforeRows.push(
          `| ${shape} | ${t.toFixed(2)} s | ${p.toFixed(2)} s | ${(t / p).toFixed(2)}x | ${o.toFixed(2)} s | ${(t / o).toFixed(2)}x | ${Math.max(...before.map((r) => r.rssMiB)).toFixed(0)} / ${Math.max(...mine.map((r) => r.rssMiB)).toFixed(0)} MiB | ${digest} |`,
        );
      }
      rows.push(
        `| ${shape} | ${sizes.length} | ${rawMiB.toFixed(0)} MiB | ${t.toFixed(2)} s | ${o.toFixed(2)} s | ${(t / o).toFixed(2)}x | ${Math.max(...theirs.map((r) => r.rssMiB)).toFixed(0)} MiB | ${Math.max(...mine.map((r) => r.rssMiB)).toFixed(0)} MiB | ${((mine[0]?.bytes ?? 0) / (theirs[0]?.bytes ?? 1)).toFixed(3)} | ${digest} |`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  console.log(
    [
      `${ROUNDS} rounds, medians; Node ${process.version}, ${cpus().length} CPUs, scale ${SCALE}`,
      '',
      '| shape | files | raw | tar\\|zstd -3 -T1 + sha256sum | standby | throughput vs baseline | baseline peak RSS | standby peak RSS (VmHWM) | size vs baseline | archive sha256 |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      ...(BEFORE
        ? [
            '',
            `before: ${BEFORE}`,
            '',
            '| shape | baseline | standby before | vs baseline | standby after | vs baseline | peak RSS before / after | archive sha256 (same before and after) |',
            '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
            ...beforeRows,
          ]
        : []),
    ].join('\n'),
  );
}

if (process.argv[2] === 'child') await child(process.argv[3] as string, process.argv[4] as string);
else await main();
