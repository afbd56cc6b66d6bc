// Benchmark: the emulator's launcher ("current", MOTO_LAUNCHER) against a previous one: with BENCH_BEFORE=<git
// revision>, the launcher at that revision (src/emulator/moto-launcher.py); without it, MOTO_LAUNCHER with moto's
// own FakeMultipart.complete (the line that replaces it left out). Both emulators run side by side; every round uploads BENCH_SIZE_MIB (default 256) in 16 MiB
// parts through uploadArtifact to each, with BENCH_IN_FLIGHT parts in flight (default 1,4), in a new order
// each round, BENCH_ROUNDS times (default 3). Reports the medians of the wall time, the time after the
// last byte left (the completion) and the emulator's CPU seconds, with the load average before and after.
// Run: sh scripts/bench.sh emulator-complete
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { uploadArtifact } from '../src/backup/upload.js';
import { emulatorAws, MOTO_LAUNCHER, startEmulator } from '../src/emulator/moto.js';
import { ensureBucket } from '../src/local/demo-publisher.js';
import { processCpuSeconds, writeRandomArtifact } from './emulator-upload.js';
import { median, shuffle } from './rounds.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = (process.env.BENCH_IN_FLIGHT ?? '1,4').split(',').map(Number);
/** The launcher at a git revision: src/emulator/moto-launcher.py, or before that file existed, the array of
 * string literals src/emulator/moto.ts held as MOTO_LAUNCHER. */
function launcherAt(revision: string): string {
  const show = (file: string) =>
    execFileSync('git', ['show', `${revision}:${file}`], { encoding: 'utf8', stdio: 'pipe' });
  try {
    return show('src/emulator/moto-launcher.py');
  } catch {
    const literal = /export const MOTO_LAUNCHER = (\[[\s\S]*?\n\])\.join/.exec(
      show('src/emulator/moto.ts'),
    )?.[1];
    if (!literal) throw new Error(`no launcher in src/emulator at ${revision}`);
    return (new Function(`return ${literal}`)() as string[]).join('\n');
  }
}
const previous = process.env.BENCH_BEFORE
  ? launcherAt(process.env.BENCH_BEFORE)
  : MOTO_LAUNCHER.split('\n')
      .filter((line) => line !== 's3models.FakeMultipart.complete = complete')
      .join('\n');

async function main() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'emuf-')), 'a.bin');
  const sha256 = writeRandomArtifact(file, SIZE_MIB);
  const variants = {
    previous: await startEmulator({ launcher: previous }),
    current: await startEmulator({ launcher: MOTO_LAUNCHER }),
  };
  for (const v of Object.values(variants)) await ensureBucket(emulatorAws(v.endpoint).s3, 'bench');
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const samples = new Map<string, { s: number; tail: number; cpu: number }[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, inFlight] of shuffle(
      Object.keys(variants).flatMap((n) => IN_FLIGHT.map((f) => [n, f] as const)),
    )) {
      const v = variants[name as keyof typeof variants];
      const s3 = emulatorAws(v.endpoint).s3;
      const pid = v.pid as number;
      const c0 = processCpuSeconds(pid);
      const t0 = process.hrtime.bigint();
      let last = t0;
      await uploadArtifact(
        s3,
        { bucket: 'bench', key: 'k', file, bytes: SIZE_MIB * MIB, sha256 },
        {
          singlePartMaxBytes: MIB,
          partSizeBytes: 16 * MIB,
          partsInFlight: inFlight,
          onProgress: () => {
            last = process.hrtime.bigint();
          },
        },
      );
      const t1 = process.hrtime.bigint();
      const key = `${name} ${inFlight}`;
      samples.set(key, [
        ...(samples.get(key) ?? []),
        { s: Number(t1 - t0) / 1e9, tail: Number(t1 - last) / 1e9, cpu: processCpuSeconds(pid) - c0 },
      ]);
      await s3.send(new DeleteObjectCommand({ Bucket: 'bench', Key: 'k' }));
      console.log(
        `round ${round + 1} ${key}: ${(Number(t1 - t0) / 1e9).toFixed(2)} s, tail ${(Number(t1 - last) / 1e9).toFixed(2)} s`,
      );
    }
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('| launcher | parts in flight | seconds (median) | after last byte s | emulator CPU s |');
  for (const [key, list] of [...samples].sort()) {
    const [name, f] = key.split(' ');
    console.log(
      `| ${name} | ${f} | ${median(list.map((x) => x.s)).toFixed(2)} (${list.map((x) => x.s.toFixed(2)).join(', ')}) | ${median(list.map((x) => x.tail)).toFixed(2)} | ${median(list.map((x) => x.cpu)).toFixed(2)} |`,
    );
  }
  for (const v of Object.values(variants)) await v.stop();
}
await main();
