import { AwsClients } from '../aws/clients.js';
import { parseOptionalRegion } from '../validation/primitives.js';

/** The AWS flags every command that talks to AWS itself (not through a phase) shares. */
export interface AwsFlags {
  awsRegion?: string;
  endpointUrl?: string;
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
