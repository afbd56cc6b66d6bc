// Benchmark (issue 24.2): uploading one multipart artifact (BENCH_SIZE_MIB, default 1024) to the local
// emulator with parts one at a time (partsInFlight 1, the baseline) against parts in flight
// (BENCH_IN_FLIGHT, default 1,2,4,8), every setting once per round, in a new order each round,
// BENCH_ROUNDS times (default 3); medians are reported. Every setting sends the same requests
// (src/backup/upload.ts); only how many parts are in flight differs. Archiving is not measured: the
// artifact is random bytes written once. Besides wall time it reports the CPU seconds per GiB spent by
// the emulator process (/proc/<pid>/stat) and by this process, and how long it took until the first
// byte of a part left (the client's checksumming before it) and after the last byte left (the
// emulator finishing the last parts and assembling the object at CompleteMultipartUpload). Run: sh scripts/bench.sh upload-parallel
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AwsClients } from '../src/aws/clients.js';
import { uploadArtifact } from '../src/backup/upload.js';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { ensureBucket } from '../src/local/demo-publisher.js';
import { processCpuSeconds, writeRandomArtifact } from './emulator-upload.js';
import { median, shuffle } from './rounds.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = [...new Set([1, ...(process.env.BENCH_IN_FLIGHT ?? '1,2,4,8').split(',').map(Number)])];
const PART_MIB = 16;

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

interface Sample {
  seconds: number;
  /** Time before the first byte of a part left (the client's checksumming before it). */
  firstByteSeconds: number;
  /** Time after the last byte left: the last parts' handling and CompleteMultipartUpload. */
  tailSeconds: number;
  emulatorCpu: number;
  clientCpu: number;
}

async function uploadOnce(
  s3: S3Client,
  emulatorPid: number,
  artifact: { file: string; sha256: string; key: string },
  inFlight: number,
): Promise<Sample> {
  const cpu = { emulator: processCpuSeconds(emulatorPid), client: ownCpuSeconds() };
  const start = process.hrtime.bigint();
  let firstByte: bigint | undefined;
  let lastByte: bigint | undefined;
  await uploadArtifact(
    s3,
    {
      bucket: 'bench',
      key: artifact.key,
      file: artifact.file,
      bytes: SIZE_MIB * MIB,
      sha256: artifact.sha256,
    },
    {
      singlePartMaxBytes: MIB,
      partSizeBytes: PART_MIB * MIB,
      partsInFlight: inFlight,
      onProgress: () => {
        lastByte = process.hrtime.bigint();
        firstByte ??= lastByte;
      },
    },
  );
  const end = process.hrtime.bigint();
  const sample = {
    seconds: Number(end - start) / 1e9,
    firstByteSeconds: Number((firstByte ?? end) - start) / 1e9,
    tailSeconds: Number(end - (lastByte ?? end)) / 1e9,
    emulatorCpu: processCpuSeconds(emulatorPid) - cpu.emulator,
    clientCpu: ownCpuSeconds() - cpu.client,
  };
  // The emulator keeps every object: drop it so each upload starts from the same state.
  await s3.send(new DeleteObjectCommand({ Bucket: 'bench', Key: artifact.key }));
  return sample;
}

function report(samples: Map<number, Sample[]>) {
  const gib = SIZE_MIB / 1024;
  const of = (inFlight: number, pick: (s: Sample) => number) =>
    median((samples.get(inFlight) ?? []).map(pick));
  const baseline = of(1, (s) => s.seconds);
  console.log(`upload of ${SIZE_MIB} MiB in ${PART_MIB} MiB parts to the emulator, median of ${ROUNDS}:`);
  console.log(
    '| parts in flight | seconds | MiB/s | speed-up | first byte s | after last byte s | emulator CPU s/GiB | client CPU s/GiB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const inFlight of IN_FLIGHT) {
    const seconds = of(inFlight, (s) => s.seconds);
    console.log(
      `| ${inFlight}${inFlight === 1 ? ' (baseline)' : ''} | ${seconds.toFixed(2)} | ${(SIZE_MIB / seconds).toFixed(1)} | ${(baseline / seconds).toFixed(2)}x | ${of(inFlight, (s) => s.firstByteSeconds).toFixed(2)} | ${of(inFlight, (s) => s.tailSeconds).toFixed(2)} | ${(of(inFlight, (s) => s.emulatorCpu) / gib).toFixed(2)} | ${(of(inFlight, (s) => s.clientCpu) / gib).toFixed(2)} |`,
    );
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-bench-upload-'));
  const file = path.join(dir, 'state.tar.zst');
  const sha256 = writeRandomArtifact(file, SIZE_MIB);
  const emulator = await startEmulator();
  Object.assign(process.env, emulatorEnv(emulator.endpoint));
  try {
    const aws = new AwsClients({ idleTimeoutMs: 600_000 });
    await ensureBucket(aws.s3, 'bench');
    console.log(`load average ${load()} before`);
    const samples = new Map<number, Sample[]>(IN_FLIGHT.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const line: string[] = [];
      for (const inFlight of shuffle(IN_FLIGHT)) {
        const key = `r${round}/p${inFlight}/state.tar.zst`;
        const sample = await uploadOnce(aws.s3, emulator.pid as number, { file, sha256, key }, inFlight);
        samples.get(inFlight)?.push(sample);
        line.push(`${inFlight}: ${sample.seconds.toFixed(2)} s`);
      }
      console.log(`round ${round + 1}: ${line.join(', ')}; load ${loadavg()[0]?.toFixed(2)}`);
    }
    report(samples);
    console.log(`load average ${load()} after`);
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
