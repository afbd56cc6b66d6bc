// Benchmark: check-health's memory and concurrency, on the local emulator. Run: sh scripts/bench.sh check-health
//
// 1. Memory in N: for N provider/profile pairs (BENCH_SIZES, default 200,1000,2000,5000) one fresh process
//    runs check-health's own code once (`checkHealth.run`, default concurrency, metrics off) against the
//    emulator, and reports its peak RSS (VmHWM, bench/peak-rss.ts) and the growth over the same process's peak
//    before the run. With BENCH_BASELINE=<bundle of this bench built from another tree> the same table is
//    measured for that code too, in the same run, process by process, alternating.
// 2. Concurrency: N = BENCH_PAIRS (default 200) at concurrency 1, 16 and 32, on loopback and behind a proxy
//    that adds BENCH_LATENCY_MS (default 20) per request. The proxy runs in its own process, so its work
//    (timers, copying bytes) does not share the event loop being measured.
// Every S3 HTTP request is counted with SDK middleware (it must be exactly 2N+1).
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { S3Client } from '@aws-sdk/client-s3';
import { AwsClients, type clientConfig } from '../src/aws/clients.js';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { MemoryIO } from '../src/io/memory-io.js';
import { checkHealth } from '../src/phases/check-health/index.js';
import { DEFAULT_POLL } from '../src/phases/phase.js';
import { DEFAULT_TARGET } from '../src/targets/target.js';
import { systemClock } from '../src/util/clock.js';
import { peakRssBytes } from './peak-rss.js';
import { seedPublisher } from './seed.js';

const ROLE = process.env.BENCH_ROLE ?? 'main';
const PAIRS = Number(process.env.BENCH_PAIRS ?? 200);
const SIZES = (process.env.BENCH_SIZES ?? '200,1000,2000,5000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MEMORY_ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 3);
const CONCURRENCY = [1, 16, 32];
/** Round trip added per request by the proxy: same-region S3 first-byte latency is ~10-30 ms. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const BUCKET = 'bench-publisher';
const pairNames = (n: number) =>
  Array.from({ length: n }, (_, i) => `provider${Math.floor(i / 4)}/profile${i % 4}`);
const MiB = 1024 * 1024;

/** AwsClients that counts every HTTP request of every S3 client a phase builds (retries included). */
class CountingClients extends AwsClients {
  requests = 0;
  override client<T>(key: string, build: (config: ReturnType<typeof clientConfig>) => T): T {
    return super.client(key, (config) => {
      const made = build(config);
      if (made instanceof S3Client)
        made.middlewareStack.add(
          (next) => (args) => {
            this.requests++;
            return next(args);
          },
          { step: 'finalizeRequest', name: 'countRequests' },
        );
      return made;
    });
  }
}

async function timeOnce(concurrency: number | undefined, pairs: string[]) {
  const aws = new CountingClients();
  const given: Record<string, string> = {
    'publish-bucket': BUCKET,
    'publish-prefix': 'batch',
    providers: pairs.join(','),
    'publish-metrics': 'false',
  };
  if (concurrency !== undefined) given.concurrency = String(concurrency);
  const read = (name: string) => given[name] ?? checkHealth.inputs[name]?.default ?? '';
  const inputs = checkHealth.parseInputs(read);
  const started = process.hrtime.bigint();
  const { run } = await checkHealth.load();
  const result = await run(inputs, {
    io: new MemoryIO(),
    aws,
    executionId: 'bench',
    target: DEFAULT_TARGET,
    now: () => new Date(),
    clock: systemClock,
    poll: DEFAULT_POLL,
    tempDir: tmpdir(),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.outputs['publish-correct'] !== true) throw new Error('benchmark publisher should be healthy');
  return { ms, requests: aws.requests };
}

/** A child: one check-health run in a fresh process; prints its peak RSS as JSON. */
async function probeRole() {
  const pairs = pairNames(PAIRS);
  const before = peakRssBytes();
  const profiler = process.env.BENCH_ALLOC === '1' ? await startAllocationSampling() : undefined;
  const { ms, requests } = await timeOnce(undefined, pairs);
  await profiler?.();
  const peak = peakRssBytes();
  if (process.env.BENCH_HEAP === '1') {
    const m = (label: string) => {
      const u = process.memoryUsage();
      process.stderr.write(
        `${label}: rss ${(u.rss / MiB).toFixed(1)} heapUsed ${(u.heapUsed / MiB).toFixed(1)} heapTotal ${(u.heapTotal / MiB).toFixed(1)} external ${(u.external / MiB).toFixed(1)} arrayBuffers ${(u.arrayBuffers / MiB).toFixed(1)}\n`,
      );
    };
    m('after run');
    const { getHeapSpaceStatistics } = await import('node:v8');
    for (const space of getHeapSpaceStatistics())
      process.stderr.write(
        `  ${space.space_name}: size ${(space.space_size / MiB).toFixed(1)} used ${(space.space_used_size / MiB).toFixed(1)}\n`,
      );
    (globalThis as { gc?: () => void }).gc?.();
    m('after gc');
  }
  process.stdout.write(
    `${JSON.stringify({ pairs: PAIRS, ms, requests, beforeMiB: before / MiB, peakMiB: peak / MiB })}\n`,
  );
}

/** Experiments: where the run allocates, garbage included (inspector sampling heap profiler). */
async function startAllocationSampling() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  return async () => {
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
      profile: { head: Node };
    };
    type Node = {
      callFrame: { functionName: string; url: string; lineNumber: number };
      selfSize: number;
      children: Node[];
    };
    const totals = new Map<string, number>();
    const walk = (node: Node, stack: string[]) => {
      const frame = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber}`;
      const path = [...stack, frame].slice(-3).join(' < ');
      totals.set(path, (totals.get(path) ?? 0) + node.selfSize);
      for (const child of node.children) walk(child, [...stack, frame]);
    };
    walk(profile.head, []);
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    process.stderr.write(`allocated (sampled) ${(all / MiB).toFixed(1)} MiB\n`);
    for (const [frame, size] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25))
      process.stderr.write(`${(size / MiB).toFixed(1).padStart(7)} MiB  ${frame}\n`);
  };
}

/** A child: the latency proxy. Prints its endpoint, forwards every request after LATENCY_MS. */
async function proxyRole() {
  const target = new URL(process.env.BENCH_TARGET as string);
  const server = createServer((req, res) => {
    setTimeout(() => {
      const outgoing = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      outgoing.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      req.pipe(outgoing);
    }, LATENCY_MS);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  process.stdout.write(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

function runChild(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}`))));
  });
}

async function startProxyProcess(target: string) {
  const child = spawn(process.execPath, [process.argv[1] as string], {
    env: { ...process.env, BENCH_ROLE: 'proxy', BENCH_TARGET: target },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`proxy exited ${code}`)));
  });
  return {
    endpoint,
    pid: child.pid,
    close: () => new Promise<void>((resolve) => child.once('exit', () => resolve()).kill('SIGTERM')),
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function memoryTable() {
  const variants = [
    ...(process.env.BENCH_BASELINE ? [{ label: 'baseline', script: process.env.BENCH_BASELINE }] : []),
    { label: 'this tree', script: process.argv[1] as string },
  ];
  const rows: { label: string; pairs: number; peak: number; growth: number; ms: number; exact: boolean }[] =
    [];
  for (const n of SIZES) {
    const samples = new Map<string, { peak: number; before: number; ms: number; requests: number }[]>();
    for (let round = 0; round < MEMORY_ROUNDS; round++) {
      for (const variant of variants) {
        const out = await runChild(variant.script, { BENCH_ROLE: 'probe', BENCH_PAIRS: String(n) });
        const sample = JSON.parse(out.trim().split('\n').at(-1) as string);
        samples.set(variant.label, [
          ...(samples.get(variant.label) ?? []),
          { peak: sample.peakMiB, before: sample.beforeMiB, ms: sample.ms, requests: sample.requests },
        ]);
      }
    }
    for (const variant of variants) {
      const got = samples.get(variant.label) ?? [];
      rows.push({
        label: variant.label,
        pairs: n,
        peak: median(got.map((s) => s.peak)),
        growth: median(got.map((s) => s.peak - s.before)),
        ms: median(got.map((s) => s.ms)),
        exact: got.every((s) => s.requests === 2 * n + 1),
      });
    }
  }
  console.log(
    `\nMemory: one check-health run per fresh process, median of ${MEMORY_ROUNDS}, ${process.version}`,
  );
  console.log('| code | pairs | peak RSS MiB | growth during the run MiB | run ms | S3 requests = 2N+1 |');
  console.log('| --- | ---: | ---: | ---: | ---: | :---: |');
  for (const r of rows)
    console.log(
      `| ${r.label} | ${r.pairs} | ${r.peak.toFixed(1)} | ${r.growth.toFixed(1)} | ${r.ms.toFixed(0)} | ${r.exact ? 'yes' : 'NO'} |`,
    );
  for (const variant of variants) {
    const mine = rows.filter((r) => r.label === variant.label);
    const first = mine[0];
    const last = mine.at(-1);
    if (first && last)
      console.log(
        `${variant.label}: peak RSS ${first.pairs} → ${last.pairs} pairs grows by ${(last.peak - first.peak).toFixed(1)} MiB`,
      );
  }
}

async function concurrencyTable(label: string, pairs: string[]) {
  await timeOnce(16, pairs); // warm-up: connection pool, emulator caches
  const rows = [];
  for (const concurrency of CONCURRENCY) {
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) runs.push(await timeOnce(concurrency, pairs));
    rows.push({
      concurrency,
      medianMs: median(runs.map((r) => r.ms)),
      requests: runs[0]?.requests ?? 0,
      exact: runs.every((r) => r.requests === 2 * pairs.length + 1),
    });
  }
  const baseline = rows[0]?.medianMs ?? 1;
  console.log(
    `\n${label}: check-health, ${pairs.length} pairs, median of ${ROUNDS} rounds, ${process.version}`,
  );
  console.log('| concurrency | median ms | speed-up vs 1 | S3 requests | = 2N+1 |');
  console.log('| ---: | ---: | ---: | ---: | :---: |');
  for (const row of rows) {
    console.log(
      `| ${row.concurrency} | ${row.medianMs.toFixed(0)} | ${(baseline / row.medianMs).toFixed(2)}x | ${row.requests} | ${row.exact ? 'yes' : 'NO'} |`,
    );
  }
}

async function main() {
  // BENCH_EMULATOR=<endpoint> reuses a running emulator (kept running afterwards): for experiments.
  const given = process.env.BENCH_EMULATOR;
  const emulator = given ? { endpoint: given, stop: async () => {} } : await startEmulator();
  Object.assign(process.env, emulatorEnv(emulator.endpoint));
  try {
    await seedPublisher(new AwsClients().s3, BUCKET, 'batch', pairNames(Math.max(PAIRS, ...SIZES)));
    if (process.env.BENCH_SKIP_MEMORY !== '1') await memoryTable();
    if (process.env.BENCH_SKIP_CONCURRENCY === '1') return;
    const pairs = pairNames(PAIRS);
    await concurrencyTable('Emulator on loopback (bounded by moto: one Python process)', pairs);
    const proxy = await startProxyProcess(emulator.endpoint);
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    try {
      await concurrencyTable(
        `Emulator behind a ${LATENCY_MS} ms round-trip proxy in its own process (network-bound, like S3)`,
        pairs,
      );
    } finally {
      process.env.AWS_ENDPOINT_URL = emulator.endpoint;
      await proxy.close();
    }
  } finally {
    await emulator.stop();
  }
}

if (ROLE === 'probe') await probeRole();
else if (ROLE === 'proxy') await proxyRole();
else await main();
