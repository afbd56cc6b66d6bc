import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * Shared configuration for every AWS client: region and credentials come from the standard chain
 * (OIDC role in Actions, profile or env locally); the SDK's standard retry mode retries throttling,
 * 5xx and transient network errors with exponential backoff and jitter; no request waits forever.
 * An endpoint given here (the CLI's --endpoint-url, the local drill's emulator) is passed to every
 * client; without one, AWS_ENDPOINT_URL(_<SERVICE>) is honoured by the SDK itself.
 */
export interface AwsConfig {
  region?: string;
  maxAttempts?: number;
  /**
   * How long a connection may stay silent (nothing sent, nothing received) before the request fails as a
   * timeout, which the retry mode retries. An idle limit, not a total one: a large upload or download
   * that keeps moving bytes is never cut off, an endpoint that accepts and never answers is.
   */
  idleTimeoutMs?: number;
  /** An endpoint override for every service, e.g. the local emulator. */
  endpoint?: string;
  /** Static credentials (the emulator's); absent: the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function clientConfig(config: AwsConfig = {}) {
  return {
    region: config.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
    maxAttempts: config.maxAttempts ?? 6,
    retryMode: 'standard',
    // socketTimeout, not requestTimeout: in @smithy/node-http-handler 4 requestTimeout is a total deadline
    // that only logs a warning unless throwOnRequestTimeout is set (a phase then waited forever on an
    // endpoint that accepted the connection and never answered), and as a total deadline it would cut off
    // a slow but moving transfer of a large artifact.
    requestHandler: { connectionTimeout: 5_000, socketTimeout: config.idleTimeoutMs ?? 30_000 },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  } as const;
}

/** Lazily built clients, one per service, shared by a phase. Tests swap the whole object. */
export class AwsClients {
  #cache = new Map<string, unknown>();
  constructor(readonly config: AwsConfig = {}) {}

  get region(): string {
    return clientConfig(this.config).region;
  }

  /**
   * The endpoint override in force for a service (an emulator or a VPC endpoint, never plain AWS):
   * the configured one, else AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL as the SDK reads them.
   */
  endpoint(service?: string): string | undefined {
    if (this.config.endpoint) return this.config.endpoint;
    const specific = service ? process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] : undefined;
    return specific || process.env.AWS_ENDPOINT_URL || undefined;
  }

  /** Builds (once) a client of any SDK class; phases use this for services beyond the common two. */
  client<T>(key: string, build: (config: ReturnType<typeof clientConfig>) => T): T {
    if (!this.#cache.has(key)) this.#cache.set(key, build(clientConfig(this.config)));
    return this.#cache.get(key) as T;
  }

  /** S3 in another region (or with other limits); path-style under an endpoint override (no bucket DNS). */
  s3In(key: string, config: AwsConfig = {}): S3Client {
    const forcePathStyle = this.endpoint('s3') !== undefined;
    return this.client(
      key,
      () => new S3Client({ ...clientConfig({ ...this.config, ...config }), forcePathStyle }),
    );
  }

  get s3(): S3Client {
    return this.s3In('s3');
  }

  get sts(): STSClient {
    return this.client('sts', (c) => new STSClient(c));
  }
}
