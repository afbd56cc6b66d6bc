import type { AwsClients } from '../../aws/clients.js';
import type { BackupSignature } from '../../backup/signature.js';
import { describeError } from '../../util/errors.js';

/** The signing key could not be used: the backup stops with `signing_failed`. */
export class SigningFailed extends Error {
  override name = 'SigningFailed';
}

/**
 * `--signing-key`: checks the key before anything is archived or uploaded (DescribeKey), then signs
 * metadata.json when it is ready. The KMS client is loaded only here, only when a key is given.
 */
export async function backupSigner(
  keyId: string,
  aws: AwsClients,
): Promise<(metadataBytes: Uint8Array) => Promise<BackupSignature>> {
  const { kmsClient, signingKey, signMetadata } = await import('../../aws/kms-signing.js');
  const kms = kmsClient(aws, keyId);
  let key: Awaited<ReturnType<typeof signingKey>>;
  try {
    key = await signingKey(kms, keyId);
  } catch (error) {
    throw new SigningFailed(
      `signing key ${keyId} cannot be used: ${describeError(error)}; nothing was written`,
    );
  }
  return async (metadataBytes) => {
    try {
      return await signMetadata(kms, key, metadataBytes);
    } catch (error) {
      throw new SigningFailed(
        `KMS Sign with ${key.keyArn} failed: ${describeError(error)}; metadata.json was not written, so this unfinished backup is never chosen`,
      );
    }
  };
}
