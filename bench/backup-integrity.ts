// Benchmark: restore-precheck's integrity proof for one 1 GiB artifact (BENCH_SIZE_MIB) on the local emulator.
// (1) the stored-checksum path (HeadObject with ChecksumMode): bytes on the wire and time;
// (2) the streaming path (no stored SHA256): throughput against `sha256sum` over the same bytes,
//     measured in the same run, plus the peak RSS growth while streaming (the object is never buffered).
// (3) the whole restore-precheck process (dist/restore-precheck.js, run as the Actions runner runs it)
//     streaming that artifact: its peak RSS, dist/ on main (before) against this tree's dist/ (after).
// Bytes are counted by a TCP proxy between the SDK and the emulator. Run: sh scripts/bench.sh backup-integrity
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsClients } from '../src/aws/clients.js';
import { verifyArtifact } from '../src/backup/verify.js';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { ensureBucket } from '../src/local/demo-publisher.js';
import { distVersions, NODE } from './dist-versions.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A loopback TCP proxy that counts bytes each way. */
async function countingProxy(target: URL) {
  const totals = { up: 0, down: 0 };
  const server = createServer((client: Socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.on('data', (chunk: Buffer) => {
      totals.up += chunk.length;
    });
    upstream.on('data', (chunk: Buffer) => {
      totals.down += chunk.length;
    });
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, totals, close: () => server.close() };
}

function writeArtifact(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  const chunk = randomBytes(MIB);
  for (let i = 0; i < SIZE_MIB; i++) {
    chunk.writeUInt32LE(i, 0); // every MiB differs
    hash.update(chunk);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return hash.digest('hex');
}

const log = (message: string) => console.error(`bench: ${message}`);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'standby-bench-'));
  const file = path.join(dir, 'state.tar.zst');
  const sha256 = writeArtifact(file);
  const declared = { bytes: SIZE_MIB * MIB, sha256 };
  const emulator = await startEmulator();
  const proxy = await countingProxy(new URL(emulator.endpoint));
  Object.assign(process.env, emulatorEnv(proxy.endpoint));
  try {
    const aws = new AwsClients({ idleTimeoutMs: 600_000 });
    await ensureBucket(aws.s3, 'bench');
    // Seeding only (not measured): one buffer, checksum in a header, no aws-chunked trailer for moto to parse.
    const seeder = new S3Client({
      endpoint: proxy.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const body = readFileSync(file);
    const checksum = Buffer.from(sha256, 'hex').toString('base64');
    const put = async (Key: string, withChecksum: boolean) => {
      const start = process.hrtime.bigint();
      await seeder.send(
        new PutObjectCommand({
          Bucket: 'bench',
          Key,
          Body: body,
          ...(withChecksum ? { ChecksumAlgorithm: 'SHA256', ChecksumSHA256: checksum } : {}),
        }),
      );
      log(`seeded ${Key} in ${seconds(start).toFixed(1)} s`);
    };
    await put('with-sha256/state.tar.zst', true);
    await put('without-sha256/state.tar.zst', false);

    const checksumRuns: { ms: number; bytes: number; result: string; source: string }[] = [];
    const streamRuns: { s: number; bytes: number; result: string; source: string; rssGrowthMiB: number }[] =
      [];
    const drainRuns: number[] = [];
    const sha256sumRuns: number[] = [];
    const nodeFileRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      Object.assign(proxy.totals, { up: 0, down: 0 });
      let start = process.hrtime.bigint();
      const fast = await verifyArtifact(
        aws.s3,
        'bench',
        'with-sha256/state.tar.zst',
        'state.tar.zst',
        declared,
      );
      checksumRuns.push({
        ms: seconds(start) * 1000,
        bytes: proxy.totals.up + proxy.totals.down,
        result: fast.result,
        source: fast.checksum_source,
      });

      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 20);
      Object.assign(proxy.totals, { up: 0, down: 0 });
      start = process.hrtime.bigint();
      const streamed = await verifyArtifact(
        aws.s3,
        'bench',
        'without-sha256/state.tar.zst',
        'state.tar.zst',
        declared,
      );
      log(
        `round ${round + 1}: checksum path ${checksumRuns.at(-1)?.ms.toFixed(1)} ms, streaming ${seconds(start).toFixed(2)} s`,
      );
      streamRuns.push({
        s: seconds(start),
        bytes: proxy.totals.up + proxy.totals.down,
        result: streamed.result,
        source: streamed.checksum_source,
        rssGrowthMiB: (rssPeak - rssBefore) / MIB,
      });
      clearInterval(sampler);

      // What the emulator can serve at all: the same GetObject, body drained, no hashing.
      start = process.hrtime.bigint();
      const raw = await aws.s3.send(
        new GetObjectCommand({ Bucket: 'bench', Key: 'without-sha256/state.tar.zst' }),
      );
      for await (const _chunk of raw.Body as AsyncIterable<Buffer>);
      drainRuns.push(seconds(start));

      start = process.hrtime.bigint();
      const line = execFileSync('sha256sum', [file], { encoding: 'utf8' });
      sha256sumRuns.push(seconds(start));
      if (!line.startsWith(sha256)) throw new Error('sha256sum disagrees with the generator');

      start = process.hrtime.bigint();
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file, { highWaterMark: MIB })) hash.update(chunk as Buffer);
      if (hash.digest('hex') !== sha256) throw new Error('node hash disagrees');
      nodeFileRuns.push(seconds(start));
    }

    const streamS = median(streamRuns.map((r) => r.s));
    const sumS = median(sha256sumRuns);
    const fileS = median(nodeFileRuns);
    const mibps = (s: number) => (SIZE_MIB / s).toFixed(0);
    console.log(`artifact: ${SIZE_MIB} MiB, ${ROUNDS} rounds (medians), Node ${process.version}`);
    console.log('\n| path | result | proof | median time | bytes on the wire |');
    console.log('| --- | --- | --- | ---: | ---: |');
    const c = checksumRuns[checksumRuns.length - 1];
    console.log(
      `| stored checksum (HeadObject) | ${c?.result} | ${c?.source} | ${median(checksumRuns.map((r) => r.ms)).toFixed(1)} ms | ${Math.max(...checksumRuns.map((r) => r.bytes))} B |`,
    );
    console.log(
      `| streaming sha256 from the emulator | ${streamRuns[0]?.result} | ${streamRuns[0]?.source} | ${streamS.toFixed(2)} s | ${Math.max(...streamRuns.map((r) => r.bytes))} B |`,
    );
    console.log('\n| hashing the same bytes | median time | MiB/s | vs sha256sum |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| sha256sum (baseline, local file) | ${sumS.toFixed(2)} s | ${mibps(sumS)} | 1.00x |`);
    console.log(
      `| streaming path over HTTP from the emulator | ${streamS.toFixed(2)} s | ${mibps(streamS)} | ${(sumS / streamS).toFixed(2)}x |`,
    );
    const drainS = median(drainRuns);
    console.log(
      `| (emulator ceiling) same GetObject drained, no hashing | ${drainS.toFixed(2)} s | ${mibps(drainS)} | ${(sumS / drainS).toFixed(2)}x |`,
    );
    console.log(
      `| same hashing code over a local file stream | ${fileS.toFixed(2)} s | ${mibps(fileS)} | ${(sumS / fileS).toFixed(2)}x |`,
    );
    console.log(
      `\npeak RSS growth while streaming: ${Math.max(...streamRuns.map((r) => r.rssGrowthMiB)).toFixed(1)} MiB (artifact ${SIZE_MIB} MiB)`,
    );
    await wholeProcessRss(seeder, body, sha256, proxy.endpoint, dir);
  } finally {
    proxy.close();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Prints the process's peak RSS at exit: VmHWM from /proc/self/status, loaded with --import. (Not
 * getrusage's maxrss: Linux carries it across exec, so a child of this process, which holds the artifact
 * in memory to seed it, would report this process's peak.)
 */
const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  "import { readFileSync } from 'node:fs'; process.on('exit', () => process.stderr.write('STANDBY_HWM_KIB=' + /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1] + '\\n'));",
)}`;

/**
 * restore-precheck as the runner starts it (Node 24, INPUT_* variables, GITHUB_OUTPUT), proving a backup
 * whose state artifact has no stored checksum, so the whole artifact streams through sha256: the peak RSS
 * of the process, before (main's dist) and after (this tree's).
 */
async function wholeProcessRss(
  seeder: S3Client,
  body: Buffer,
  sha256: string,
  endpoint: string,
  dir: string,
) {
  const folder = 'rss/backups/bk-rss';
  const manifests = Buffer.from('manifests');
  await seeder.send(new PutObjectCommand({ Bucket: 'bench', Key: `${folder}/state.tar.zst`, Body: body }));
  await seeder.send(
    new PutObjectCommand({ Bucket: 'bench', Key: `${folder}/manifests.tar.zst`, Body: manifests }),
  );
  const metadata = {
    backup_id: 'bk-rss',
    created_utc: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    artifacts: {
      'state.tar.zst': { bytes: body.length, sha256 },
      'manifests.tar.zst': {
        bytes: manifests.length,
        sha256: createHash('sha256').update(manifests).digest('hex'),
      },
    },
  };
  await seeder.send(
    new PutObjectCommand({ Bucket: 'bench', Key: `${folder}/metadata.json`, Body: JSON.stringify(metadata) }),
  );
  console.log(`\n| restore-precheck process, ${SIZE_MIB} MiB streamed | peak RSS | time | integrity |`);
  console.log('| --- | ---: | ---: | --- |');
  for (const dist of distVersions()) {
    const output = path.join(dir, 'output');
    writeFileSync(output, '');
    const start = process.hrtime.bigint();
    // Asynchronous: the counting proxy the child talks to runs in this process.
    const run = await runChild(NODE, ['--import', RSS_PROBE, path.join(dist.dir, 'restore-precheck.js')], {
      PATH: process.env.PATH,
      ...emulatorEnv(endpoint),
      GITHUB_OUTPUT: output,
      'INPUT_EXECUTION-ID': 'bench-rss',
      'INPUT_BACKUP-URI': `s3://bench/${folder}`,
      'INPUT_MAX-BACKUP-AGE-HOURS': '24',
    });
    const took = seconds(start);
    const kib = Number(/STANDBY_HWM_KIB=(\d+)/.exec(run.stderr)?.[1] ?? Number.NaN);
    const integrity = /integrity<<(\S+)\n(.*)\n/.exec(readFileSync(output, 'utf8'))?.[2] ?? '';
    const results = [...integrity.matchAll(/"result":"(\w+)"/g)].map((m) => m[1]).join(', ');
    if (run.status !== 0) log(`${dist.label}: exit ${run.status}: ${run.stdout.slice(-2000)}`);
    console.log(
      `| ${dist.label} | ${(kib / 1024).toFixed(0)} MiB | ${took.toFixed(1)} s | ${results || 'none'} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
