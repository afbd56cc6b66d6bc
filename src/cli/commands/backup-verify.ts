import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readMetadata, verifyBackup } from '../../backup/check.js';
import { parseBackupUri } from '../../backup/layout.js';
import { checkSignatureObject } from '../../backup/signature-check.js';
import { parseVerifyKey, resolveVerifyKey, type VerifyKey } from '../../backup/verify-key.js';
import { renderVerifyReport, type VerifyReport, verifyVerdict } from '../../backup/verify-report.js';
import { describeError } from '../../util/errors.js';
import { InputError } from '../../validation/errors.js';
import { parseKmsKeyId } from '../../validation/kms-key.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT, returnsExitCode } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { nestedCommand, usage } from './nested.js';

interface VerifyFlags extends AwsFlags {
  backupUri: string;
  publicKey?: string;
  signingKey?: string;
  json?: boolean;
}

/**
 * `standby backup verify`: one backup's metadata.json.sig against a public key (a PEM file: no KMS call)
 * or a KMS key's public half, then its artifacts, with the same code restore-precheck runs.
 */
export function verifyCommand(term: Terminal): Command {
  return nestedCommand('verify', term, [
    'standby backup verify --backup-uri s3://my-backups/prod/backups/20261122T030000.123Z-9f86d081 --public-key backup-signing.pem',
    'standby backup verify --backup-uri s3://my-backups/prod/backups/20261122T030000.123Z-9f86d081 --signing-key alias/standby-backup-signing --json',
  ])
    .description(
      "Verify one backup's signature (metadata.json.sig) and artifacts. Exit 0 verified, 3 refused, 2 usage, 1 error or unknown.",
    )
    .requiredOption('--backup-uri <uri>', 'one backup: s3://<bucket>/<prefix>/backups/<backup_id>')
    .option('--public-key <file>', 'PEM public key of the signing key (offline: no KMS call)')
    .option('--signing-key <key>', 'KMS key id, ARN or alias: its public half is read with kms:GetPublicKey')
    .option('--aws-region <region>', 'AWS region of the bucket and key (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
    .option('--json', 'print the report as JSON')
    .action(
      returnsExitCode(async (flags: VerifyFlags) => {
        const backup = usage(() => parseBackupUri('backup-uri', flags.backupUri));
        const key = await keyFromFlags(flags);
        const aws = awsFromFlags(flags);
        await checkExpectedAccount(aws, flags);
        const read = await readMetadata(aws.s3, backup);
        if (read.kind === 'failed') throw new CliError(`${read.reason}: ${read.message}`);
        const publicKey = await resolveVerifyKey(key, aws);
        const signature = await checkSignatureObject(aws.s3, backup, read.bytes, publicKey);
        const artifacts =
          signature.result === 'invalid' ? [] : (await verifyBackup(aws.s3, backup, read.metadata, 4)).checks;
        const report: VerifyReport = {
          backup_uri: backup.uri,
          signature,
          artifacts,
          verdict: verifyVerdict(signature, artifacts),
        };
        term.out(flags.json ? JSON.stringify(report, null, 2) : renderVerifyReport(report));
        return { ok: EXIT.ok, refused: EXIT.attention, unknown: EXIT.failed }[report.verdict];
      }),
    );
}

/** Exactly one of --public-key (read now: a missing file is a usage error) and --signing-key. */
async function keyFromFlags(flags: VerifyFlags): Promise<VerifyKey> {
  if (Boolean(flags.publicKey) === Boolean(flags.signingKey))
    throw new CliError('give exactly one of --public-key <file.pem> and --signing-key <KMS key>', EXIT.usage);
  if (flags.signingKey) {
    const keyId = usage(() => parseKmsKeyId('--signing-key', flags.signingKey ?? ''));
    return { kind: 'kms', keyId: keyId ?? '' };
  }
  let pem: string;
  try {
    pem = await readFile(flags.publicKey ?? '', 'utf8');
  } catch (error) {
    throw new CliError(`--public-key: ${describeError(error)}`, EXIT.usage);
  }
  return usage(() => {
    const key = parseVerifyKey('--public-key', pem);
    if (key?.kind !== 'pem')
      throw new InputError('--public-key', 'is not a PEM public key (-----BEGIN PUBLIC KEY-----)');
    return key;
  });
}
