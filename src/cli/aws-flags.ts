import { verifyAccount } from '../aws/account-guard.js';
import { AwsClients } from '../aws/clients.js';
import { parseAccountId, parseOptionalRegion } from '../validation/primitives.js';

/** The AWS flags every command that talks to AWS itself (not through a phase) shares. */
export interface AwsFlags {
  awsRegion?: string;
  endpointUrl?: string;
  expectedAccountId?: string;
}

/**
 * The AWS clients for a command's flags. The region goes through the one region parser (the phases'
 * aws-region too), so a typo is a usage error before any AWS call, not a DNS failure after retries.
 */
export function awsFromFlags(flags: AwsFlags): AwsClients {
  return new AwsClients({
    region: parseOptionalRegion('--aws-region', flags.awsRegion ?? ''),
    endpoint: flags.endpointUrl,
  });
}

/** The --expected-account-id flag (`.option(...EXPECTED_ACCOUNT_FLAG)`), worded the same on every command. */
export const EXPECTED_ACCOUNT_FLAG = [
  '--expected-account-id <id>',
  'refuse to read anything unless the AWS credentials belong to this 12-digit account (STS GetCallerIdentity)',
] as const;

/**
 * The account the flags expect, checked before the command reads anything: the same guard the phases
 * run before their first call (src/aws/account-guard.ts). A malformed id is a usage error (exit 2); a
 * mismatch, or no answer from STS, fails the command (exit 1) with nothing read.
 */
export async function checkExpectedAccount(aws: AwsClients, flags: AwsFlags): Promise<void> {
  const expected = parseAccountId('--expected-account-id', flags.expectedAccountId ?? '');
  if (expected) await verifyAccount(aws.sts, expected, '--expected-account-id');
}
