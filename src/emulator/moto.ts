import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
 * moto is started through a short Python launcher (moto_server's own interpreter, its shebang) that fixes
 * three things before it runs moto_server in-process:
 * - On Linux it asks the kernel to SIGTERM moto when its parent dies (prctl PR_SET_PDEATHSIG), so a CLI or
 *   test run that is killed never leaves an emulator behind.
 * - It makes S3's conditional writes atomic. S3 lets exactly one of several concurrent
 *   `If-None-Match: *` writes of one key succeed (the others get 412 or 409); moto checks and then stores
 *   in two steps on a threaded server, so two racing writers could both succeed there, which no receipt
 *   chain or backup can survive in AWS either way. Writes of the same key (PutObject,
 *   CompleteMultipartUpload) are serialised by a lock striped by bucket and key; other keys stay parallel.
 * - It checks the checksums a client declares, as S3 does (moto 5.2.5 stores them unchecked, or its own):
 *   a PutObject or UploadPart whose `x-amz-checksum-{crc64nvme,crc32,crc32c,sha1,sha256}`, as a header or
 *   as the aws-chunked trailer named by `x-amz-trailer`, does not match the bytes received, and a
 *   CompleteMultipartUpload whose full-object CRC (CRC64NVME always; CRC32/CRC32C with ChecksumType
 *   FULL_OBJECT) does not match the parts assembled, answer 400 BadDigest; the upload stays open. CRCs by
 *   awscrt (pinned in requirements-emulator.txt), SHAs by hashlib. Tested in
 *   test/integration/emulator-checksums.test.ts.
 * - UploadPart and CompleteMultipartUpload copy less (the same answers, cheaper; docs/benchmarks.md,
 *   issue 24.2). A request body is read from the socket in one read of its Content-Length (werkzeug's
 *   `LimitedStream.readall` read 64 KiB at a time into a growing buffer and copied it again); a part larger
 *   than moto's in-memory limit (MOTO_S3_DEFAULT_KEY_BUFFER_SIZE) is written straight to its temporary file
 *   instead of into memory first; its MD5 ETag and CRC64NVME are computed from the body in memory when it
 *   is stored, not by reading the file back. At completion, as S3 does, the full-object CRCs (the one
 *   declared, checked there, and the one moto stores) are composed from the parts' CRCs with awscrt's
 *   `combine_*` (a part's CRC32/CRC32C is read from its bytes when first needed), and the object keeps
 *   its parts' stored files, read one after another (`Parts`: nothing is copied; a later write
 *   to the key replaces them with a file of its own). moto's own `FakeMultipart.complete` read every
 *   part twice and copied the whole object about six times.
 *   The ETags, the stored checksum and moto's errors (InvalidPart, EntityTooSmall, MalformedXML) are moto's.
 */
export const MOTO_LAUNCHER = [
  'import base64, ctypes, hashlib, runpy, signal, sys, tempfile, threading, zlib',
  "if sys.platform.startswith('linux'): ctypes.CDLL(None).prctl(1, signal.SIGTERM)",
  'from awscrt import checksums',
  'from moto.s3.exceptions import S3ClientError',
  'from moto.s3.responses import S3Response',
  'locks = [threading.Lock() for _ in range(64)]',
  'def lock_for(bucket, key): return locks[zlib.crc32(f"{bucket}/{key}".encode()) % len(locks)]',
  "CRCS = {'crc64nvme': (checksums.crc64nvme, 8, checksums.combine_crc64nvme), 'crc32': (checksums.crc32, 4, checksums.combine_crc32), 'crc32c': (checksums.crc32c, 4, checksums.combine_crc32c)}",
  "SHAS = {'sha1': hashlib.sha1, 'sha256': hashlib.sha256}",
  "def b64crc(alg, value): return base64.b64encode(value.to_bytes(CRCS[alg][1], 'big')).decode()",
  'def digest(alg, data):',
  '    if alg in SHAS: return base64.b64encode(SHAS[alg](data).digest()).decode()',
  '    return b64crc(alg, CRCS[alg][0](data))',
  'class BadDigest(S3ClientError):',
  "    def __init__(self): super().__init__('BadDigest', 'The Content-MD5 or checksum value that you specified did not match what the server received.')",
  'def declared(self):',
  "    trailer = (self.headers.get('x-amz-trailer') or '').strip().lower()",
  '    for alg in (*CRCS, *SHAS):',
  "        name = 'x-amz-checksum-' + alg",
  '        value = self.headers.get(name)',
  '        if not value and trailer == name and isinstance(self.raw_body, bytes):',
  "            at = self.raw_body.rfind(name.encode() + b':')",
  "            if at >= 0: value = self.raw_body[at + len(name) + 1:].split(b'\\r\\n')[0].strip().decode()",
  '        if value: yield alg, value',
  'def verify_body(self):',
  "    body = self.body or b''",
  '    body = body.encode() if isinstance(body, str) else body',
  '    for alg, value in declared(self):',
  '        if digest(alg, body) != value: raise BadDigest()',
  'from werkzeug.wsgi import LimitedStream',
  'readall = LimitedStream.readall',
  'def readall_at_once(self):',
  '    remaining = self.limit - self._pos',
  '    if self._limit_is_max or remaining <= 0: return readall(self)',
  '    try: data = self._stream.read(remaining)',
  "    except (OSError, ValueError) as error: return self.on_disconnect(error=error) or b''",
  '    self._pos += len(data)',
  '    return data if len(data) == remaining else data + readall(self)',
  'LimitedStream.readall = readall_at_once',
  'import moto.s3.models as s3models',
  'from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML',
  'class Parts:',
  '    def __init__(self, files, sizes): self.files, self.sizes, self.size, self.pos = files, sizes, sum(sizes), 0',
  '    def __len__(self): return self.size',
  '    def seek(self, offset, whence=0):',
  '        self.pos = max(0, offset + (0, self.pos, self.size)[whence])',
  '        return self.pos',
  '    def tell(self): return self.pos',
  '    def flush(self): pass',
  '    def read(self, size=-1):',
  '        left = self.size - self.pos if size is None or size < 0 else min(size, self.size - self.pos)',
  '        out, start = bytearray(), 0',
  '        for file, length in zip(self.files, self.sizes):',
  '            if left > 0 and start <= self.pos < start + length:',
  '                file.seek(self.pos - start)',
  '                chunk = file.read(min(left, start + length - self.pos))',
  '                out += chunk',
  '                self.pos, left = self.pos + len(chunk), left - len(chunk)',
  '            start += length',
  '        return bytes(out)',
  '    def close(self):',
  '        for file in self.files: file.close()',
  'def take_parts(parts):',
  '    files = []',
  '    for part in parts:',
  '        with part.lock: files.append(part._value_buffer); part._value_buffer = tempfile.SpooledTemporaryFile(1)',
  '    return Parts(files, [part.contentsize for part in parts])',
  'stored_value = s3models.FakeKey.value',
  'def store_value(self, value):',
  '    if isinstance(self._value_buffer, Parts):',
  '        self._value_buffer.close()',
  '        self._value_buffer = tempfile.SpooledTemporaryFile(self._max_buffer_size)',
  '    if isinstance(value, Parts):',
  '        self._value_buffer.close()',
  '        self._value_buffer, self.contentsize = value, value.size',
  '        return',
  '    if not isinstance(value, str) and len(value) > self._max_buffer_size: self._value_buffer.rollover()',
  '    stored_value.fset(self, value)',
  's3models.FakeKey.value = stored_value.setter(store_value)',
  'set_part = s3models.FakeMultipart.set_part',
  'def set_part_hashed(self, part_id, value):',
  '    key = set_part(self, part_id, value)',
  '    key._etag = s3models.md5_hash(value).hexdigest()',
  "    key.crcs = {'crc64nvme': checksums.crc64nvme(value)}",
  '    return key',
  's3models.FakeMultipart.set_part = set_part_hashed',
  'def part_crc(part, alg):',
  "    crcs = part.__dict__.setdefault('crcs', {})",
  '    if alg not in crcs: crcs[alg] = CRCS[alg][0](part.value)',
  '    return crcs[alg]',
  'declared_crcs = threading.local()',
  'def complete(self, body):',
  "    builder = s3models.MultipartChecksumBuilder(self.metadata.get('x-amz-checksum-algorithm'), self.metadata.get('x-amz-checksum-type'))",
  "    own = builder.checksum_algorithm.lower() if builder.checksum_type == 'FULL_OBJECT' and builder.checksum_algorithm.lower() in CRCS else None",
  "    wanted = dict(getattr(declared_crcs, 'value', {}))",
  '    crcs = {alg: None for alg in {*wanted, *([own] if own else [])}}',
  '    parts, md5s = [], bytearray()',
  '    for number, etag in body:',
  '        part = self.parts.get(number)',
  `        if part is None or part.etag.replace('"', '') != etag.replace('"', ''): raise InvalidPart()`,
  '        if parts and parts[-1].contentsize < s3models.S3_UPLOAD_PART_MIN_SIZE: raise EntityTooSmall()',
  `        md5s.extend(bytes.fromhex(part.etag.replace('"', '')))`,
  '        for alg, crc in crcs.items():',
  '            value = part_crc(part, alg)',
  '            crcs[alg] = value if crc is None else CRCS[alg][2](crc, value, part.contentsize)',
  '        if not own: builder.addPart(part.value)',
  '        parts.append(part)',
  '    if not parts: raise MalformedXML',
  '    if any(b64crc(alg, crcs[alg]) != v for alg, v in wanted.items()): raise BadDigest()',
  '    etag = f"{s3models.md5_hash(bytes(md5s)).hexdigest()}-{len(parts)}"',
  '    return take_parts(parts), etag, (builder.checksum_type, b64crc(own, crcs[own]), 1) if own else builder.build()',
  's3models.FakeMultipart.complete = complete',
  'put_object = S3Response.put_object',
  'def checked_put(self):',
  '    verify_body(self)',
  '    with lock_for(self.bucket_name, self.parse_key_name()): return put_object(self)',
  'upload_part = S3Response.upload_part',
  'def checked_part(self):',
  '    verify_body(self)',
  '    return upload_part(self)',
  'key_post = S3Response._key_response_post',
  'def checked_post(self, request, body, bucket_name, query, key_name):',
  "    full = (self.headers.get('x-amz-checksum-type') or '').upper() == 'FULL_OBJECT'",
  "    found = ((alg, self.headers.get('x-amz-checksum-' + alg)) for alg in CRCS)",
  "    declared_crcs.value = {alg: v for alg, v in found if v and (full or alg == 'crc64nvme')}",
  '    try:',
  '        with lock_for(bucket_name, key_name): return key_post(self, request, body, bucket_name, query, key_name)',
  '    finally: declared_crcs.value = {}',
  'S3Response.put_object = checked_put',
  'S3Response.upload_part = checked_part',
  'S3Response._key_response_post = checked_post',
  'sys.argv = sys.argv[1:]',
  "runpy.run_path(sys.argv[0], run_name='__main__')",
].join('\n');

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
