// Benchmark (issue 24.3): the peak RSS of a whole `standby backup` process — the command line parsing its
// flags, the walk, tar, zstd and digests, the upload to the local emulator, metadata.json last — over the
// mixed tree of bench/shape-trees.ts (~1 GiB at BENCH_SCALE=1), read as the child's VmHWM
// (/proc/self/status) just before it exits, never getrusage's maxrss. Two uploads: the default (one PUT
// with a SHA256 checksum, the artifact being under single-part-max-mib) and multipart (16 MiB parts,
// parts in flight, CRC64NVME), BENCH_ROUNDS (default 1) rounds each.
// Run: BENCH_SCALE=1 sh scripts/bench.sh backup-process
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClients } from '../src/aws/clients.js';
import { runCli } from '../src/cli/main.js';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { ensureBucket } from '../src/local/demo-publisher.js';
import { makeTree, sizesOf } from './shape-trees.js';

const MIB = 1024 * 1024;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const UPLOADS: Record<string, string[]> = {
  'one PUT (default)': [],
  'multipart, 16 MiB parts': ['--single-part-max-mib', '16', '--part-size-mib', '16'],
};
const log = (message: string) => console.error(`bench: ${message}`);

/** Child mode: one `standby backup` run, as the command line runs it; prints seconds and VmHWM. */
async function child(args: string[]) {
  const start = process.hrtime.bigint();
  const code = await runCli(['backup', ...args]);
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  console.log(JSON.stringify({ code, s, rssMiB: Number(hwm) / 1024 }));
}

function backup(args: string[], env: NodeJS.ProcessEnv) {
  const run = spawnSync(process.execPath, [process.argv[1] as string, 'child', ...args], {
    encoding: 'utf8',
    env,
  });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !last.startsWith('{')) throw new Error(`standby backup failed: ${run.stderr}`);
  const result = JSON.parse(last) as { code: number; s: number; rssMiB: number };
  if (result.code !== 0) throw new Error(`standby backup exited ${result.code}: ${run.stderr}`);
  return result;
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'standby-bench-process-'));
  const emulator = await startEmulator();
  try {
    const sizes = sizesOf('mixed', SCALE);
    log(`writing ${sizes.length} files, ${(sizes.reduce((a, b) => a + b, 0) / MIB).toFixed(0)} MiB`);
    makeTree(path.join(work, 'state'), sizes);
    mkdirSync(path.join(work, 'manifests'));
    writeFileSync(
      path.join(work, 'manifests', 'config.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\ndata:\n  a: "1"\n',
    );
    const env = { ...process.env, ...emulatorEnv(emulator.endpoint), RUNNER_TEMP: work };
    Object.assign(process.env, env);
    const aws = new AwsClients();
    for (const bucket of ['bench', 'bench-receipts']) await ensureBucket(aws.s3, bucket);
    const rows: string[] = [];
    for (const [name, extra] of Object.entries(UPLOADS)) {
      const runs = Array.from({ length: ROUNDS }, (_, round) => {
        const result = backup(
          [
            ...['--backup-uri', `s3://bench/r${round}-${rows.length}/backups/`],
            ...['--state-dir', path.join(work, 'state'), '--manifests-dir', path.join(work, 'manifests')],
            ...['--receipt-bucket', 'bench-receipts', '--execution-id', `bench-${round}-${rows.length}`],
            ...extra,
          ],
          env,
        );
        log(
          `${name} round ${round + 1}: ${result.s.toFixed(2)} s, VmHWM ${result.rssMiB.toFixed(0)} MiB, load ${loadavg()[0]?.toFixed(1)}`,
        );
        return result;
      });
      rows.push(
        `| ${name} | ${Math.max(...runs.map((r) => r.rssMiB)).toFixed(0)} MiB | ${runs.map((r) => r.s.toFixed(2)).join(', ')} s |`,
      );
    }
    console.log(
      [
        `whole \`standby backup\` process, mixed tree at scale ${SCALE} (${sizes.length} files); Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
        '',
        '| upload | peak RSS (VmHWM, max of rounds) | seconds per round |',
        '| --- | ---: | --- |',
        ...rows,
      ].join('\n'),
    );
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv.slice(3));
else await main();
