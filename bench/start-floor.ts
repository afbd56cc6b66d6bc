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
//   an expected-account-id that is not the one STS answers: the phase loads everything it runs with
//   (before: first of all; after: once its inputs are valid, while the account guard asks STS), the
//   account guard gets account 123456789012 from STS GetCallerIdentity over HTTP and refuses to run
//   (checked on the warm-up run). STS is a stand-in in its own process that gives that one answer to
//   every request (the moto emulator stopped answering after a few thousand starts on a loaded machine).
// Every case runs with the stand-in as endpoint, test credentials and a region, and nothing else.
// Floors are built once per set of clients into .standby/bench-floors/ (kept across runs: ncc takes a
// minute per floor here); delete that directory after changing how they are built.
// before is dist/ as committed at BENCH_BEFORE (default main), after is this tree's dist/ (npm run build).
// Run: sh scripts/bench.sh start-floor   (BENCH_ROUNDS, default 11; BENCH_BEFORE, default main)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { phaseCatalog } from '../src/phases/registry.js';
import { distVersions, NODE } from './dist-versions.js';
import { CLIENT_PACKAGES, PHASE_CLIENTS, VALID_INPUTS } from './phase-start.js';
import { median, min, shuffle } from './rounds.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const FLOORS = path.resolve('.standby', 'bench-floors');
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
  const built = path.join(dir, 'out', 'index.js');
  const sourceFile = path.join(dir, 'floor.ts');
  if (existsSync(built) && existsSync(sourceFile) && readFileSync(sourceFile, 'utf8') === source)
    return { label: `floor ${label}`, file: built };
  writeFileSync(sourceFile, source);
  // As scripts/build.sh bundles dist/index.js (the floor has no chunks for minify-chunks.mjs to minify).
  execFileSync(
    'npx',
    ['ncc', 'build', path.join(dir, 'floor.ts'), '-o', path.join(dir, 'out'), '--minify', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
  return { label: `floor ${label}`, file: path.join(dir, 'out/index.js') };
}

/** The stand-in STS and the inputs as @actions/core reads them (INPUT_<NAME>), nothing else. */
function actionEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

function timeOnce(c: Case): { ms: number; output: string } {
  const start = process.hrtime.bigint();
  const run = spawnSync(NODE, c.args, { env: c.env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, output: `${run.stdout}${run.stderr}` };
}

/** STS's GetCallerIdentity answer (query protocol, as AWS sends it), for every request. */
const STS_SERVER = `
const body = '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>AIDABENCH</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(body));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function main() {
  const sts = spawn(NODE, ['-e', STS_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    sts.stdout.once('data', (d) => resolve(String(d).trim())),
  );
  endpoint = `http://127.0.0.1:${port}`;
  try {
    measure();
  } finally {
    sts.kill();
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
