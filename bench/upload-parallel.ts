// Benchmark (issue 24.2): uploading one multipart artifact (BENCH_SIZE_MIB, default 1024) to the local
// emulator with parts one at a time (partsInFlight 1, the baseline) against parts in flight (4), in the
// same run, alternating, BENCH_ROUNDS times each; the median is reported. Archiving is not measured: the
// artifact is random bytes written once. Run: sh scripts/bench.sh upload-parallel
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClients } from '../src/aws/clients.js';
import { uploadArtifact } from '../src/backup/upload.js';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { ensureBucket } from '../src/local/demo-publisher.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PART_MIB = 16;

function writeArtifact(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  for (let written = 0; written < SIZE_MIB; written += 16) {
    const chunk = randomBytes(Math.min(16, SIZE_MIB - written) * MIB);
    hash.update(chunk);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return hash.digest('hex');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-bench-upload-'));
  const file = path.join(dir, 'state.tar.zst');
  const sha256 = writeArtifact(file);
  const emulator = await startEmulator();
  Object.assign(process.env, emulatorEnv(emulator.endpoint));
  try {
    const aws = new AwsClients({ idleTimeoutMs: 600_000 });
    await ensureBucket(aws.s3, 'bench');
    const times: Record<number, number[]> = { 1: [], 4: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const inFlight of [1, 4]) {
        const key = `r${round}/p${inFlight}/state.tar.zst`;
        const start = process.hrtime.bigint();
        await uploadArtifact(
          aws.s3,
          { bucket: 'bench', key, file, bytes: SIZE_MIB * MIB, sha256 },
          { singlePartMaxBytes: MIB, partSizeBytes: PART_MIB * MIB, partsInFlight: inFlight },
        );
        times[inFlight]?.push(Number(process.hrtime.bigint() - start) / 1e9);
      }
    }
    const one = median(times[1] ?? []);
    const four = median(times[4] ?? []);
    console.log(`upload of ${SIZE_MIB} MiB in ${PART_MIB} MiB parts to the emulator, median of ${ROUNDS}:`);
    console.log(`| parts in flight | seconds | MiB/s |\n| --- | --- | --- |`);
    console.log(`| 1 (baseline) | ${one.toFixed(2)} | ${(SIZE_MIB / one).toFixed(1)} |`);
    console.log(`| 4 | ${four.toFixed(2)} | ${(SIZE_MIB / four).toFixed(1)} |`);
    console.log(`speed-up: ${(one / four).toFixed(2)}x`);
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
