import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { AwsClients } from '../aws/clients.js';

/**
 * The local AWS emulator: moto in server mode on a free loopback port. Used by the tests, the
 * benchmarks and `standby drill --local`. Installed by scripts/bootstrap.sh into .venv (pinned in
 * requirements-emulator.txt).
 */
export interface Emulator {
  endpoint: string;
  /** The moto process (undefined for an emulator this process did not start). */
  pid?: number;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** moto's runtime configuration (POST /moto-api/config), e.g. letting Step Functions execute. */
  configure(settings: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export function findMotoServer(cwd = process.cwd()): string | undefined {
  const candidates = [
    process.env.STANDBY_MOTO_SERVER,
    path.join(cwd, '.venv', 'bin', 'moto_server'),
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'moto_server')),
  ];
  return candidates.find(
    (candidate): candidate is string => Boolean(candidate) && existsSync(candidate as string),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface StartOptions {
  executable?: string;
  /** The Python launcher moto runs under (default MOTO_LAUNCHER; a bench compares it with a variant). */
  launcher?: string;
  timeoutMs?: number;
  pickPort?: () => Promise<number>;
  /**
   * Do not keep this process alive for the emulator's sake (a test worker that leaves it to the next test
   * file): once it answers, its handles are unreferenced. It still dies with this process.
   */
  unref?: boolean;
}

export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
  const executable = options.executable ?? findMotoServer();
  if (!executable) {
    throw new Error(
      'moto_server not found. Run `npm run bootstrap` (installs moto[server] into .venv), ' +
        'or set STANDBY_MOTO_SERVER to its path, or pass --endpoint-url for an emulator already running.',
    );
  }
  // A free port can be taken between the pick and moto's bind (parallel test runs): moto then exits with
  // "Address already in use", and the next pick is tried.
  for (let attempt = 1; ; attempt++) {
    const port = await (options.pickPort ?? freePort)();
    try {
      const { emulator, child } = await startOn(
        executable,
        port,
        options.timeoutMs ?? 30_000,
        options.launcher,
      );
      if (options.unref) {
        child.unref();
        (child.stderr as { unref?: () => void } | null)?.unref?.();
      }
      return emulator;
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= 5) throw error;
    }
  }
}

class PortTaken extends Error {}

/**
 * moto is started through a Python launcher, src/emulator/moto-launcher.py, run by moto_server's own
 * interpreter (its shebang). Before moto starts, the launcher makes it behave as S3 does where moto 5.2.5
 * does not, and copy less on the way; each change is explained beside its code there:
 * - moto gets SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG): a killed run leaves no emulator behind.
 * - Conditional writes (`If-None-Match: *`) of one key are atomic: writes of the same key are serialised by
 *   a lock striped by bucket and key.
 * - Declared checksums are checked (400 BadDigest), on PutObject, UploadPart and CompleteMultipartUpload,
 *   whose full-object CRCs are composed from the parts' as S3 does.
 * - Bodies are read in one read, parts hashed from memory, and a completed object keeps its parts' files
 *   (issue 24.2, docs/benchmarks.md).
 */
export const MOTO_LAUNCHER = readFileSync(new URL('./moto-launcher.py', import.meta.url), 'utf8');

function launched(executable: string, args: string[], launcher = MOTO_LAUNCHER): string[] {
  const python = path.join(path.dirname(executable), 'python3');
  if (!existsSync(python)) return [executable, ...args];
  return [python, '-c', launcher, executable, ...args];
}

async function startOn(
  executable: string,
  port: number,
  timeoutMs: number,
  launcher?: string,
): Promise<{ emulator: Emulator; child: ChildProcess }> {
  const endpoint = `http://127.0.0.1:${port}`;
  // MOTO_PORT: moto's Step Functions interpreter calls other services (SNS, ...) on this port, not on 5000.
  const [command, ...args] = launched(executable, ['-H', '127.0.0.1', '-p', String(port)], launcher);
  const child = spawn(command as string, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_PORT: String(port) },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  await waitUntilReady(endpoint, child, timeoutMs, () => stderr);

  const post = async (route: string, body?: unknown) => {
    const response = await fetch(`${endpoint}${route}`, {
      method: 'POST',
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`emulator ${route} answered ${response.status}`);
  };
  const emulator: Emulator = {
    endpoint,
    pid: child.pid,
    reset: () => post('/moto-api/reset'),
    configure: (settings) => post('/moto-api/config', settings),
    stop: () => stopProcess(child),
  };
  return { emulator, child };
}

/**
 * Ready when OUR child says it bound the port (werkzeug's "Running on <endpoint>") and the API answers:
 * an answer alone could come from another emulator that holds the same port.
 */
async function waitUntilReady(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      if (/address already in use|is in use by another program/i.test(stderr()))
        throw new PortTaken(endpoint);
      throw new Error(`moto_server exited with ${child.exitCode}: ${stderr()}`);
    }
    try {
      if (stderr().includes(`Running on ${endpoint}`) && (await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Environment that points the SDK at the emulator with throwaway credentials. */
/** AWS clients for the emulator, configured directly (no process.env is changed). */
export function emulatorAws(endpoint: string): AwsClients {
  return new AwsClients({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

/** The same settings as environment variables, for a child process (the CLI or an action under test). */
export function emulatorEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
