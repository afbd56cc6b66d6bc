// Benchmark (issue 24.4): every phase's action entry against its floor, paired in one run. The floor of a
// phase is a minimal action bundled the same way as dist/ (ncc --minify): it imports @actions/core, reads
// one input and constructs the AWS SDK clients that phase uses, nothing else (bench/phase-start.ts: the
// client classes its run code imports, and runPhase's S3 and STS, checked against the import graph by
// test/phases/light-start.test.ts).
//
// Cases, every one paired in each round (all in a shuffled order, after one unmeasured warm-up run each):
// - node -e 0;
// - floor <clients>: one floor per distinct set of clients;
// - <phase> no inputs, before and after: `node dist/<phase>.js` with no input at all; it fails at the
//   missing execution-id (checked on the warm-up run);
// - <phase> valid inputs, before and after: the same entry with valid inputs (bench/phase-start.ts) and
//   an expected-account-id that is not the emulator's: the phase loads everything it runs with (before:
//   first of all; after: once its inputs are valid, while the account guard asks STS), the account guard
//   gets the emulator's account from STS GetCallerIdentity over HTTP and refuses to run (checked on the
//   warm-up run). The emulator's one request is the same for before and after.
// Every case runs with the emulator's environment (endpoint, test credentials, region) and nothing else.
// before is dist/ as committed at BENCH_BEFORE (default main), after is this tree's dist/ (npm run build).
// Run: sh scripts/bench.sh start-floor   (BENCH_ROUNDS, default 11; BENCH_BEFORE, default main)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { emulatorEnv, startEmulator } from '../src/emulator/moto.js';
import { phaseCatalog } from '../src/phases/registry.js';
import { distVersions, NODE } from './dist-versions.js';
import { CLIENT_PACKAGES, PHASE_CLIENTS, VALID_INPUTS } from './phase-start.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const FLOORS = path.resolve('.standby/bench/start-floor/floors');
const EXECUTION = 'bench-1';
/** Not the emulator's account (123456789012): the account guard refuses, after one STS call. */
const OTHER_ACCOUNT = '000000000000';
let endpoint = '';

interface Case {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** What the warm-up run must print: proof that the case stopped where it is meant to. */
  expect: RegExp;
}

/** Builds (once per set of clients) the floor: @actions/core, one input, the clients constructed. */
function buildFloor(clients: string[]): { label: string; file: string } {
  const label = clients.map((c) => c.replace(/Client$/, '')).join('+');
  const dir = path.join(FLOORS, label);
  mkdirSync(dir, { recursive: true });
  const source = [
    "import * as core from '@actions/core';",
    ...clients.map((c) => `import { ${c} } from '${CLIENT_PACKAGES[c]}';`),
    "core.getInput('execution-id');",
    ...clients.map((c) => `new ${c}({ region: 'us-east-1' });`),
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'floor.ts'), source);
  // As scripts/build.sh bundles dist/index.js (the floor has no chunks for minify-chunks.mjs to minify).
  execFileSync(
    path.resolve('node_modules/.bin/ncc'),
    ['build', path.join(dir, 'floor.ts'), '-o', path.join(dir, 'out'), '--minify', '--quiet'],
    { stdio: 'inherit' },
  );
  return { label: `floor ${label}`, file: path.join(dir, 'out/index.js') };
}

/** The emulator's environment and the inputs as @actions/core reads them (INPUT_<NAME>), nothing else. */
function actionEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...emulatorEnv(endpoint) };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

function timeOnce(c: Case): { ms: number; output: string } {
  const start = process.hrtime.bigint();
  const run = spawnSync(NODE, c.args, { env: c.env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, output: `${run.stdout}${run.stderr}` };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const min = (values: number[]) => Math.min(...values);

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

async function main() {
  const emulator = await startEmulator();
  endpoint = emulator.endpoint;
  try {
    measure();
  } finally {
    await emulator.stop();
  }
}

function measure() {
  const cases: Case[] = [{ name: 'node -e 0', args: ['-e', '0'], env: actionEnv({}), expect: /^$/ }];
  const floors = new Map<string, string>();
  const floorOf = new Map<string, string>();
  for (const phase of phaseCatalog) {
    const clients = PHASE_CLIENTS[phase.name] ?? [];
    const key = clients.join(',');
    if (!floors.has(key)) {
      const floor = buildFloor(clients);
      floors.set(key, floor.label);
      cases.push({ name: floor.label, args: [floor.file], env: actionEnv({}), expect: /^$/ });
    }
    floorOf.set(phase.name, floors.get(key) as string);
  }
  const dists = distVersions();
  for (const dist of dists) {
    const entries = new Set(readdirSync(dist.dir));
    for (const phase of phaseCatalog) {
      if (!entries.has(`${phase.name}.js`)) throw new Error(`${dist.dir} has no ${phase.name}.js`);
      const entry = path.join(dist.dir, `${phase.name}.js`);
      cases.push({
        name: `${phase.name} no inputs ${dist.label}`,
        args: [entry],
        env: actionEnv({}),
        expect: /execution-id/,
      });
      const valid = {
        'execution-id': EXECUTION,
        'receipt-bucket': 'bench-receipts',
        'expected-account-id': OTHER_ACCOUNT,
        ...VALID_INPUTS[phase.name],
      };
      cases.push({
        name: `${phase.name} valid inputs ${dist.label}`,
        args: [entry],
        env: actionEnv(valid),
        expect: /refusing to run: credentials belong to AWS account 123456789012/,
      });
    }
  }
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (const c of cases) {
    const { output } = timeOnce(c); // warms the file cache, not measured; checks where the case stops
    if (!c.expect.test(output))
      throw new Error(`${c.name}: expected ${c.expect}, got: ${output.slice(0, 2000)}`);
  }
  const load = loadavg();
  for (let round = 0; round < ROUNDS; round++)
    for (const c of shuffle(cases)) times.get(c.name)?.push(timeOnce(c).ms);
  const fmt = (t: number[]) => `${min(t).toFixed(0)} / ${median(t).toFixed(0)} ms`;
  const of = (name: string) => times.get(name) as number[];
  const [before, after] = dists.map((d) => d.label) as [string, string];
  console.log(
    `${ROUNDS} rounds, Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}, load average ${load.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} after; node -e 0: ${fmt(of('node -e 0'))} (min / median)`,
  );
  console.log(`\nbefore = ${before}, after = ${after}; every cell min / median`);
  console.log(
    '\n| phase | floor (its clients) | floor | no inputs before | no inputs after | valid inputs before | valid inputs after | after − floor, median (no inputs; valid) | within 60 ms |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const phase of phaseCatalog) {
    const floor = of(floorOf.get(phase.name) as string);
    const cell = (kind: string, label: string) => of(`${phase.name} ${kind} ${label}`);
    const overNone = median(cell('no inputs', after)) - median(floor);
    const overValid = median(cell('valid inputs', after)) - median(floor);
    console.log(
      `| ${phase.name} | ${(floorOf.get(phase.name) as string).replace(/^floor /, '')} | ${fmt(floor)} | ${fmt(cell('no inputs', before))} | ${fmt(cell('no inputs', after))} | ${fmt(cell('valid inputs', before))} | ${fmt(cell('valid inputs', after))} | ${overNone.toFixed(0)}; ${overValid.toFixed(0)} ms | ${Math.max(overNone, overValid) <= 60 ? 'yes' : 'no'} |`,
    );
  }
}

await main();
