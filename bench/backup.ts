// Benchmark: `standby backup` of a 1 GiB state directory (BENCH_STATE_MIB to change the size).
// (1) archive + compress to disk, standby's code (deterministic tar writer, node:zlib zstd level 3, sha256
//     in the same pass) against `tar -cf - . | zstd -3` (the baseline, same level, single thread) over the
//     same tree, in the same run, BENCH_ROUNDS rounds each (medians); peak RSS of each (this process's
//     RSS sampled every 50 ms; the baseline's max RSS from GNU time, the larger of tar and zstd);
// (2) the whole backup (archive, upload to the local emulator, metadata.json): single-part, and multipart
//     (single-part-max 256 MiB, 64 MiB parts, CRC64NVME), once each.
// The tree is half incompressible (random) and half compressible (JSON lines), in 64 files.
// Run: sh scripts/bench.sh backup
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClients } from '../src/aws/clients.js';
import { compressToFile } from '../src/backup/artifact-file.js';
import { createBackup, STATE_MARKER_FILE } from '../src/backup/create.js';
import { backupIn, parseBackupPrefix } from '../src/backup/layout.js';
import { tarStreamWithMarker } from '../src/backup/tar-writer.js';
import { walkTree } from '../src/backup/tree.js';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { ensureBucket } from '../src/local/demo-publisher.js';

const MIB = 1024 * 1024;
const STATE_MIB = Number(process.env.BENCH_STATE_MIB ?? 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FILES = 64;

const log = (message: string) => console.error(`bench: ${message}`);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function makeTree(root: string) {
  const perFile = Math.floor((STATE_MIB * MIB) / FILES);
  const line = Buffer.from(
    `${JSON.stringify({ provider: 'acme', profile: 'daily', cursor: 918273, ok: true })}\n`,
  );
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(root, `part-${String(i % 8).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    const fd = openSync(path.join(dir, `chunk-${String(i).padStart(3, '0')}.bin`), 'w');
    for (let written = 0; written < perFile; written += MIB) {
      const block =
        i % 2 === 0
          ? randomBytes(MIB)
          : Buffer.concat(Array.from({ length: Math.ceil(MIB / line.length) }, () => line)).subarray(0, MIB);
      if (i % 2 === 1) block.writeUInt32LE(written, 0);
      writeSync(fd, block);
    }
    closeSync(fd);
  }
}

/** Runs fn while sampling this process's RSS; returns seconds and the peak RSS growth. */
async function measured(fn: () => Promise<unknown>) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const start = process.hrtime.bigint();
  await fn();
  const s = seconds(start);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { s, rssGrowthMiB: (peak - before) / MIB, rssPeakMiB: peak / MIB };
}

function baseline(tree: string, out: string) {
  const start = process.hrtime.bigint();
  const run = spawnSync(
    'bash',
    [
      '-c',
      `set -o pipefail; /usr/bin/time -f 'tar %M' tar -C "$1" -cf - . 2>"$3.tar" | /usr/bin/time -f 'zstd %M' zstd -q -3 -o "$2" 2>"$3.zstd"; cat "$3.tar" "$3.zstd"`,
      'bench',
      tree,
      out,
      `${out}.time`,
    ],
    { encoding: 'utf8' },
  );
  const s = seconds(start);
  if (run.status !== 0) throw new Error(`tar | zstd failed: ${run.stderr}`);
  const rssKiB = Math.max(...[...run.stdout.matchAll(/(?:tar|zstd) (\d+)/g)].map((m) => Number(m[1])));
  return { s, rssPeakMiB: rssKiB / 1024, bytes: statSync(out).size };
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'standby-bench-backup-'));
  const tree = path.join(work, 'state');
  log(`writing a ${STATE_MIB} MiB state tree (${FILES} files, half random, half JSON lines) in ${work}`);
  makeTree(tree);
  const rawMiB = Number(
    execFileSync('du', ['-sm', '--apparent-size', tree], { encoding: 'utf8' }).split('\t')[0],
  );

  const ours: { s: number; rssGrowthMiB: number; rssPeakMiB: number; bytes: number }[] = [];
  const theirs: { s: number; rssPeakMiB: number; bytes: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const out = path.join(work, `ours-${round}.tar.zst`);
    let bytes = 0;
    const m = await measured(async () => {
      bytes = (
        await compressToFile(
          tarStreamWithMarker(walkTree(tree, new Set([STATE_MARKER_FILE])), STATE_MARKER_FILE, () => {}),
          out,
          { level: 3 },
        )
      ).bytes;
    });
    ours.push({ ...m, bytes });
    rmSync(out);
    const b = baseline(tree, path.join(work, `base-${round}.tar.zst`));
    theirs.push(b);
    rmSync(path.join(work, `base-${round}.tar.zst`));
    log(
      `round ${round + 1}: standby ${m.s.toFixed(2)} s (+${m.rssGrowthMiB.toFixed(1)} MiB RSS), tar|zstd ${b.s.toFixed(2)} s`,
    );
  }

  const emulator = await startEmulator();
  Object.assign(process.env, emulatorEnv(emulator.endpoint));
  const full: Record<string, { s: number; rssGrowthMiB: number }> = {};
  try {
    const aws = new AwsClients({ idleTimeoutMs: 900_000 });
    await ensureBucket(aws.s3, 'bench');
    const prefix = parseBackupPrefix('backup-uri', 's3://bench/p/backups/');
    for (const [name, singlePartMaxBytes] of [
      ['single-part', 5120 * MIB],
      ['multipart', 256 * MIB],
    ] as const) {
      full[name] = await measured(() =>
        createBackup(aws.s3, {
          backup: backupIn(prefix, `bk-${name}`),
          stateDir: tree,
          manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } }],
          manifestSource: 'bench',
          workDir: work,
          createdUtc: new Date(),
          sourceHost: 'bench',
          toolVersion: 'bench',
          compressionLevel: 3,
          upload: { singlePartMaxBytes, partSizeBytes: 64 * MIB },
        }),
      );
      log(`full backup (${name}): ${full[name]?.s.toFixed(2)} s`);
    }
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }

  const o = median(ours.map((r) => r.s));
  const t = median(theirs.map((r) => r.s));
  const row = (label: string, s: number, rss: string, bytes: number) =>
    `| ${label} | ${s.toFixed(2)} s | ${(rawMiB / s).toFixed(0)} MiB/s | ${(t / s).toFixed(2)}x | ${rss} | ${(bytes / MIB).toFixed(0)} MiB |`;
  console.log(
    [
      `state tree: ${rawMiB} MiB in ${FILES} files; ${ROUNDS} rounds, medians; Node ${process.version}, ${cpus().length} CPUs`,
      '',
      '| archive + zstd -3 to disk | median time | throughput | vs tar\\|zstd | peak RSS | output |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      row(
        'tar -cf - . \\| zstd -3 (baseline)',
        t,
        `${Math.max(...theirs.map((r) => r.rssPeakMiB)).toFixed(1)} MiB (max of tar, zstd)`,
        theirs[0]?.bytes ?? 0,
      ),
      row(
        'standby (tar writer + node:zlib zstd + sha256)',
        o,
        `${Math.max(...ours.map((r) => r.rssPeakMiB)).toFixed(1)} MiB (growth ${Math.max(...ours.map((r) => r.rssGrowthMiB)).toFixed(1)} MiB)`,
        ours[0]?.bytes ?? 0,
      ),
      '',
      '| whole `standby backup` to the emulator | time | peak RSS growth |',
      '| --- | ---: | ---: |',
      ...Object.entries(full).map(
        ([name, r]) => `| ${name} | ${r.s.toFixed(2)} s | ${r.rssGrowthMiB.toFixed(1)} MiB |`,
      ),
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
