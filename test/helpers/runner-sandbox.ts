import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const FIXTURES = path.resolve('test/fixtures/runner');

/**
 * A scratch directory for one runner-script run: stub `k3s` and `aws` on PATH answering from JSON files
 * shaped like real Kubernetes output (test/fixtures/runner/k8s), which a test may replace or edit.
 */
export class RunnerSandbox {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'standby-runner-'));

  constructor() {
    for (const file of readdirSync(path.join(FIXTURES, 'k8s')))
      copyFileSync(path.join(FIXTURES, 'k8s', file), this.path(file));
    this.write('readyz', 'ok');
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  write(file: string, content: string | Buffer | object): void {
    mkdirSync(path.dirname(this.path(file)), { recursive: true });
    const body = typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content);
    writeFileSync(this.path(file), body);
  }

  json<T = Record<string, unknown>>(file: string): T {
    return JSON.parse(readFileSync(this.path(file), 'utf8')) as T;
  }

  /** Changes one fixture file in place. */
  edit<T = Record<string, unknown>>(file: string, change: (value: T) => void): void {
    const value = this.json<T>(file);
    change(value);
    this.write(file, value as object);
  }

  lines(file: string): string[] {
    try {
      return readFileSync(this.path(file), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  run(script: 'restore.sh' | 'validate.sh', env: Record<string, string>) {
    const result = spawnSync('bash', [path.resolve('src/runner', script)], {
      env: {
        PATH: `${path.join(FIXTURES, 'bin')}:${process.env.PATH}`,
        STUB_DIR: this.dir,
        HOME: this.dir,
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const stdout = result.stdout.trim();
    let report: Record<string, unknown> | undefined;
    try {
      report = JSON.parse(stdout);
    } catch {
      report = undefined;
    }
    return { code: result.status, stdout, stderr: result.stderr, report };
  }
}

/** Runs a shell command for fixture building (tar, zstd) and fails loudly if it fails. */
export function sh(command: string, cwd: string): void {
  const result = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
}
