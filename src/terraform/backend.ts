import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { quoted } from '../validation/errors.js';

/** Where Terraform keeps the state and how it is locked; always remote, always locked. */
export interface BackendSettings {
  bucket: string;
  key: string;
  region: string;
  lockTable: string;
  /** KMS key (id, ARN or alias) the state objects are encrypted with; without it the backend asks for SSE-S3. */
  kmsKeyId?: string;
}

/**
 * The -backend-config flags for `terraform init`. Both locks are asked for: S3-native (use_lockfile,
 * Terraform 1.11+) and the DynamoDB table (deprecated upstream, kept for tooling that shares the state).
 * With a KMS key the state is written SSE-KMS with that key: Terraform's S3 backend sends AES256 when
 * `encrypt` is true and `kms_key_id` is missing (internal/backend/remote-state/s3/client.go, PutObject),
 * which a bucket policy that requires the key refuses.
 */
export function backendConfigArgs(backend: BackendSettings): string[] {
  return [
    `-backend-config=bucket=${backend.bucket}`,
    `-backend-config=key=${backend.key}`,
    `-backend-config=region=${backend.region}`,
    `-backend-config=dynamodb_table=${backend.lockTable}`,
    '-backend-config=use_lockfile=true',
    '-backend-config=encrypt=true',
    ...(backend.kmsKeyId ? [`-backend-config=kms_key_id=${backend.kmsKeyId}`] : []),
  ];
}

/**
 * Refuses a working directory whose state would not be the remote, locked S3 backend: no backend "s3"
 * block (Terraform would fall back to local state), another backend, or a local state file lying there.
 */
export function assertRemoteBackend(workingDirectory: string): void {
  if (!existsSync(workingDirectory)) {
    throw new Error(
      `working directory ${quoted(workingDirectory)} does not exist; pass working-directory (default terraform/runner)`,
    );
  }
  const files = readdirSync(workingDirectory).filter((name) => name.endsWith('.tf'));
  if (files.length === 0) throw new Error(`working directory ${quoted(workingDirectory)} has no .tf files`);
  const backends = files.flatMap((name) =>
    declaredBackends(readFileSync(path.join(workingDirectory, name), 'utf8')),
  );
  if (backends.length === 0) {
    throw new Error(
      `${quoted(workingDirectory)} declares no backend, so Terraform would keep local state; add backend "s3" {} to its terraform block`,
    );
  }
  const other = backends.find((type) => type !== 's3');
  if (other)
    throw new Error(
      `${quoted(workingDirectory)} declares backend "${other}"; only the locked S3 backend is allowed`,
    );
  for (const local of ['terraform.tfstate', 'terraform.tfstate.backup']) {
    if (existsSync(path.join(workingDirectory, local))) {
      throw new Error(
        `${quoted(`${workingDirectory}/${local}`)} exists: local state must not be used; move it into the S3 backend or delete it`,
      );
    }
  }
}

function declaredBackends(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*(#|\/\/).*$/gm, '');
  return [...withoutComments.matchAll(/^\s*backend\s+"([A-Za-z0-9_-]+)"\s*\{/gm)].map(
    (match) => match[1] as string,
  );
}
