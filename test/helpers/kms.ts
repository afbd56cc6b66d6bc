import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { clientConfig } from '../../src/aws/clients.js';

/** The emulator's KMS, through AWS_ENDPOINT_URL like every other client. */
export const kms = () => new KMSClient(clientConfig());

/** A new KMS key on the emulator: asymmetric SIGN_VERIFY, or a symmetric encryption key to be refused. */
export async function createKmsKey(
  spec: 'ECC_NIST_P256' | 'RSA_2048' | 'SYMMETRIC_DEFAULT',
): Promise<string> {
  const made = await kms().send(
    new CreateKeyCommand({
      KeySpec: spec,
      KeyUsage: spec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY',
    }),
  );
  return made.KeyMetadata?.Arn as string;
}
