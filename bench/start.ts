// Benchmark: whole-process start-up of every phase's action entry and the CLI against bare `node -e 0`
// and against aws-actions/configure-aws-credentials' own dist entry (also built on @actions/core), paired
// in each round (every case in a shuffled order), several rounds, min and median. Compares dist/ as
// committed at BENCH_BEFORE (default main) with this tree's dist/ (after), in the same run.
// - <phase>: `node dist/<phase>.js` with no inputs: it stops at the missing execution-id. Since issue 24.4
//   runPhase checks the inputs before it loads the phase's code, so this is the runner's own start (before
//   it, the phase's chunk, its SDK clients and Octokit loaded first). bench/start-floor.ts also starts each
//   phase with valid inputs and sets both against a minimal action with the same clients.
// - configure-aws-credentials: its dist/index.js with no inputs (it stops at the missing aws-region).
//   Not in this repository: BENCH_CONFIGURE_AWS_CREDENTIALS names the file (default
//   /tmp/configure-aws-credentials/index.js; the case is left out when it is absent).
// - standby --help: the CLI's top-level help.
// Run: sh scripts/bench.sh start   (BENCH_ROUNDS, default 21; BENCH_BEFORE, default main)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { distVersions, NODE } from './dist-versions.js';
import { median, min, shuffle } from './rounds.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);

interface Case {
  name: string;
  args: string[];
  /** Whether the process must exit 0 (help) or may fail (an action without inputs fails by design). */
  exitZero: boolean;
}

function timeOnce(args: string[], exitZero: boolean): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(NODE, args, { env: { PATH: process.env.PATH }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (exitZero && run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

function main() {
  const cases: Case[] = [{ name: 'node -e 0', args: ['-e', '0'], exitZero: true }];
  const other = process.env.BENCH_CONFIGURE_AWS_CREDENTIALS ?? '/tmp/configure-aws-credentials/index.js';
  if (existsSync(other)) cases.push({ name: 'configure-aws-credentials', args: [other], exitZero: false });
  for (const dist of distVersions()) {
    const entries = readdirSync(dist.dir).filter((f) => /^[a-z][a-z-]*\.js$/.test(f) && f !== 'index.js');
    for (const entry of entries.filter((f) => f !== 'standby.js' && f !== 'action.js').sort())
      cases.push({
        name: `${entry.replace(/\.js$/, '')} ${dist.label}`,
        args: [path.join(dist.dir, entry)],
        exitZero: false,
      });
    cases.push({
      name: `standby --help ${dist.label}`,
      args: [path.join(dist.dir, 'standby.js'), '--help'],
      exitZero: true,
    });
  }
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (const c of cases) timeOnce(c.args, c.exitZero); // warm the file cache, not measured
  const load = loadavg();
  for (let round = 0; round < ROUNDS; round++)
    for (const c of shuffle(cases)) times.get(c.name)?.push(timeOnce(c.args, c.exitZero));
  const base = times.get('node -e 0') as number[];
  console.log(
    `${ROUNDS} rounds, Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}, load average ${load.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} after`,
  );
  console.log('\n| process | min | median | min vs node -e 0 | median vs node -e 0 |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const c of cases) {
    const t = times.get(c.name) as number[];
    console.log(
      `| ${c.name} | ${min(t).toFixed(0)} ms | ${median(t).toFixed(0)} ms | ${(min(t) / min(base)).toFixed(1)}x | ${(median(t) / median(base)).toFixed(1)}x |`,
    );
  }
}

main();
