import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { describeError } from '../util/errors.js';

export class WrongAccountError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    /** What the operator set the expected account with: the input, or the CLI's flag. */
    setting = 'expected-account-id',
  ) {
    super(
      `refusing to run: credentials belong to AWS account ${actual}, but ${setting} is ${expected}. ` +
        'Check the role ARN given to configure-aws-credentials (or your AWS profile) before trying again.',
    );
    this.name = 'WrongAccountError';
  }
}

/**
 * Resolves the caller's account and, when an expected account is configured, refuses a mismatch.
 * Runs before any write, the receipt included: a receipt in the wrong account is itself a mutation.
 * `onSent` is called once the signed GetCallerIdentity is handed to the HTTP handler (credentials and
 * endpoint resolved), so a caller can load what it needs while the request is in flight.
 */
export async function verifyAccount(
  sts: STSClient,
  expected: string | undefined,
  setting?: string,
  onSent?: () => void,
): Promise<string | undefined> {
  let actual: string | undefined;
  try {
    const command = new GetCallerIdentityCommand({});
    if (onSent)
      command.middlewareStack.add(
        (next) => (args) => {
          const answer = next(args);
          onSent();
          return answer;
        },
        { step: 'finalizeRequest', priority: 'low', name: 'standbyAccountGuardSent' },
      );
    actual = (await sts.send(command)).Account;
  } catch (error) {
    if (expected) {
      throw new Error(
        `cannot confirm the AWS account (STS GetCallerIdentity failed: ${describeError(error)}); ` +
          'check that AWS credentials are configured for this job',
      );
    }
    return undefined;
  }
  if (expected && actual !== expected) throw new WrongAccountError(expected, actual ?? 'unknown', setting);
  return actual;
}
