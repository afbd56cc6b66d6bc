// Benchmark: check-health over 200 provider/profile pairs on the local emulator, this code at its
// default concurrency against the same code at concurrency 1, in the same run. Counts every S3 HTTP
// request (retries included) with SDK middleware. Run: sh scripts/bench.sh check-health
import { AwsClients } from '../src/aws/clients.js';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { MemoryIO } from '../src/io/memory-io.js';
import { checkHealth } from '../src/phases/check-health/index.js';
import { DEFAULT_POLL } from '../src/phases/phase.js';
import { systemClock } from '../src/util/clock.js';
import { startFaultProxy } from '../test/helpers/fault-proxy.js';
import { seedPublisher } from './seed.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = [1, 16, 32];
/** Round trip added per request in the second table: same-region S3 first-byte latency is ~10-30 ms. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);

async function timeOnce(concurrency: number, pairs: string[]) {
  const aws = new AwsClients();
  let requests = 0;
  aws.s3.middlewareStack.add(
    (next) => (args) => {
      requests++;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequests' },
  );
  const read = (name: string) =>
    ({
      'publish-bucket': 'bench-publisher',
      'publish-prefix': 'batch',
      providers: pairs.join(','),
      concurrency: String(concurrency),
      'publish-metrics': 'false',
    })[name] ??
    checkHealth.inputs[name]?.default ??
    '';
  const inputs = checkHealth.parseInputs(read);
  const started = process.hrtime.bigint();
  const { run } = await checkHealth.load();
  const result = await run(inputs, {
    io: new MemoryIO(),
    aws,
    executionId: 'bench',
    now: () => new Date(),
    clock: systemClock,
    poll: DEFAULT_POLL,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.outputs['publish-correct'] !== true) throw new Error('benchmark publisher should be healthy');
  return { ms, requests };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function table(label: string, pairs: string[]) {
  await timeOnce(16, pairs); // warm-up: connection pool, emulator caches
  const rows = [];
  for (const concurrency of CONCURRENCY) {
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) runs.push(await timeOnce(concurrency, pairs));
    rows.push({
      concurrency,
      medianMs: median(runs.map((r) => r.ms)),
      requests: runs[0]?.requests ?? 0,
      exact: runs.every((r) => r.requests === 2 * PAIRS + 1),
    });
  }
  const baseline = rows[0]?.medianMs ?? 1;
  console.log(`\n${label}: check-health, ${PAIRS} pairs, median of ${ROUNDS} rounds, ${process.version}`);
  console.log('| concurrency | median ms | speed-up vs 1 | S3 requests | = 2N+1 |');
  console.log('| ---: | ---: | ---: | ---: | :---: |');
  for (const row of rows) {
    console.log(
      `| ${row.concurrency} | ${row.medianMs.toFixed(0)} | ${(baseline / row.medianMs).toFixed(2)}x | ${row.requests} | ${row.exact ? 'yes' : 'NO'} |`,
    );
  }
}

const emulator = await startEmulator();
Object.assign(process.env, emulatorEnv(emulator.endpoint));
try {
  const pairs = Array.from({ length: PAIRS }, (_, i) => `provider${Math.floor(i / 4)}/profile${i % 4}`);
  await seedPublisher(new AwsClients().s3, 'bench-publisher', 'batch', pairs);
  await table('Emulator on loopback (bounded by moto: one Python process)', pairs);
  const proxy = await startFaultProxy(emulator.endpoint, [], { delayMs: LATENCY_MS });
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  try {
    await table(`Emulator behind a ${LATENCY_MS} ms round-trip proxy (network-bound, like S3)`, pairs);
  } finally {
    await proxy.close();
  }
} finally {
  await emulator.stop();
}
