import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * Shared configuration for every AWS client: region and credentials come from the standard chain
 * (OIDC role in Actions, profile or env locally); the SDK's standard retry mode retries throttling,
 * 5xx and transient network errors with exponential backoff and jitter; every request has a deadline.
 * AWS_ENDPOINT_URL(_<SERVICE>) is honoured by the SDK itself, which is how the emulator is reached.
 */
export interface AwsConfig {
  region?: string;
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

export function clientConfig(config: AwsConfig = {}) {
  return {
    region: config.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
    maxAttempts: config.maxAttempts ?? 6,
    retryMode: 'standard',
    requestHandler: { requestTimeout: config.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000 },
  } as const;
}

/** True when an endpoint override is set: an emulator or a VPC endpoint, never plain AWS. */
export function endpointOverride(service?: string): string | undefined {
  const specific = service ? process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] : undefined;
  return specific || process.env.AWS_ENDPOINT_URL || undefined;
}

/** Lazily built clients, one per service, shared by a phase. Tests swap the whole object. */
export class AwsClients {
  #cache = new Map<string, unknown>();
  constructor(readonly config: AwsConfig = {}) {}

  get region(): string {
    return clientConfig(this.config).region;
  }

  /** Builds (once) a client of any SDK class; phases use this for services beyond the common three. */
  client<T>(key: string, build: (config: ReturnType<typeof clientConfig>) => T): T {
    if (!this.#cache.has(key)) this.#cache.set(key, build(clientConfig(this.config)));
    return this.#cache.get(key) as T;
  }

  get s3(): S3Client {
    // Path-style addressing when an endpoint override is set: loopback emulators have no bucket DNS.
    return this.client(
      's3',
      (c) => new S3Client({ ...c, forcePathStyle: endpointOverride('s3') !== undefined }),
    );
  }

  get sts(): STSClient {
    return this.client('sts', (c) => new STSClient(c));
  }

  get cloudwatch(): CloudWatchClient {
    return this.client('cloudwatch', (c) => new CloudWatchClient(c));
  }
}
