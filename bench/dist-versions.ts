import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The two bundles a bench compares in one run: `before` is dist/ as committed at a git revision
 * (BENCH_BEFORE, default main: the CI-built bundle), `after` is this working tree's dist/ (npm run build).
 */
export function distVersions(): { label: string; dir: string }[] {
  const revision = process.env.BENCH_BEFORE ?? 'main';
  const before = mkdtempSync(path.join(tmpdir(), 'standby-dist-before-'));
  const archive = execFileSync('git', ['archive', revision, 'dist'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', before], { input: archive });
  const after = path.resolve('dist');
  if (!existsSync(path.join(after, 'index.js'))) throw new Error('no dist/index.js: run npm run build first');
  return [
    { label: `before (${revision})`, dir: path.join(before, 'dist') },
    { label: 'after (this tree)', dir: after },
  ];
}

/** The Node running the bench (scripts/bench.sh runs it with Node 24, node_modules/node). */
export const NODE = process.execPath;
