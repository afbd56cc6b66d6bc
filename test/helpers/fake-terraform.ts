import { type ChildProcess, fork } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { readPins } from './terraform-modules.js';

/** One call of the stand-in terraform, as it recorded it. */
export interface TerraformCall {
  args: string[];
  cwd: string;
  /** For plan: the -var-file contents and the sha256 of the plan file it wrote. */
  vars?: Record<string, unknown>;
  planSha256?: string;
}

/**
 * Puts a stand-in `terraform` first on PATH: a bash script (CLIENT below), which hands each call to
 * one daemon per test file (fake-terraform-daemon.mjs running fake-terraform-core.mjs) that keeps real state in
 * the emulator's S3 at the backend key, locks it the way Terraform's S3 backend does (.tflock and the
 * DynamoDB LockID item), creates and destroys a tagged EC2 instance and security group in the emulator,
 * and insists on values for variables without a default. Call restore() when done.
 */
export async function installFakeTerraform() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-terraform-'));
  const log = path.join(dir, 'calls.jsonl');
  const { daemon, port } = await startDaemon(dir);
  writeFileSync(path.join(dir, 'terraform'), CLIENT.replaceAll('PORT', String(port)));
  chmodSync(path.join(dir, 'terraform'), 0o755);
  const saved = {
    PATH: process.env.PATH,
    FAKE_TF_LOG: process.env.FAKE_TF_LOG,
    FAKE_TF_DIR: process.env.FAKE_TF_DIR,
  };
  process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
  process.env.FAKE_TF_LOG = log;
  process.env.FAKE_TF_DIR = dir;
  const clearFaults = () => {
    delete process.env.FAKE_TF_FAIL;
    delete process.env.FAKE_TF_CRASH;
  };
  return {
    /** Fresh log, the pinned Terraform version, no failure. */
    reset() {
      writeFileSync(log, '');
      process.env.FAKE_TF_VERSION = readPins().terraform;
      clearFaults();
    },
    reportVersion(version: string) {
      process.env.FAKE_TF_VERSION = version;
    },
    /** The command fails at once, the way Terraform fails on an API error (lock released). */
    failOn(command: string) {
      process.env.FAKE_TF_FAIL = command;
    },
    /** apply dies after creating the runner, before writing state, leaving the lock held (a killed job). */
    crashOnApply() {
      process.env.FAKE_TF_CRASH = 'apply';
    },
    calls(): TerraformCall[] {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TerraformCall);
    },
    commands(): string[] {
      return this.calls().map((call) => call.args[0] as string);
    },
    restore() {
      daemon.kill();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      clearFaults();
      delete process.env.FAKE_TF_VERSION;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The `terraform` on PATH: sends the daemon its physical working directory (what process.cwd() gives), its
 * arguments and its whole environment, NUL-separated (fake-terraform-daemon.mjs reads them), then prints the
 * answer's output files and exits with its code. bash, not a Node process: a call costs about 3 ms of CPU
 * instead of 25 (bringup-teardown makes about 130 calls).
 */
const CLIENT = `#!/bin/bash
exec 3<>/dev/tcp/127.0.0.1/PORT || exit 1
cd -P . || exit 1
{ printf '%s\\0' "$PWD" "$#" "$@"; env -0; printf '\\0'; } >&3
if ! read -r code answer <&3; then
  echo 'fake terraform: the daemon did not answer' >&2
  exit 1
fi
cat "$FAKE_TF_DIR/answer-$answer.out"
cat "$FAKE_TF_DIR/answer-$answer.err" >&2
exit "$code"
`;

/**
 * The process that runs every call of this test file (fake-terraform-daemon.mjs), and its loopback port.
 * It gets no AWS settings of its own: each call brings its caller's environment, as a terraform process
 * inherits it.
 */
async function startDaemon(dir: string): Promise<{ daemon: ChildProcess; port: number }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  const daemon = fork(path.resolve('test/helpers/fake-terraform-daemon.mjs'), [dir], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    daemon.once('message', (message) => resolve(message as number));
    daemon.once('exit', (code) => reject(new Error(`the fake terraform daemon exited with ${code}`)));
  });
  return { daemon, port };
}

/** The bootstrap module's state bucket and lock table, in the emulator. */
export async function createStateBackend(bucket: string, table: string, region = 'us-east-1') {
  const s3 = new S3Client({ region, forcePathStyle: true });
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }),
  );
  await new DynamoDBClient({ region }).send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}
