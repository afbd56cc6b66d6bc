// What bench/start-floor.ts needs to know of each phase, as tables that test/phases/light-start.test.ts
// checks against the code (the bench bundle cannot carry the TypeScript compiler the import graph needs),
// so a phase whose inputs or clients change cannot leave the bench measuring something else.

/** One valid set of inputs per phase of the catalogue (the parser accepts it, every required input given). */
export const VALID_INPUTS: Record<string, Record<string, string>> = {
  'check-health': {
    'publish-bucket': 'bench-publish',
    providers: 'acme/daily',
    'expected-marker-file': 'marker.json',
  },
  'restore-precheck': { 'backup-uri': 's3://bench-backups/app/backups/' },
  bringup: {
    kind: 'drill',
    'github-run-id': '12345',
    'state-bucket': 'bench-state',
    'lock-table': 'bench-locks',
  },
  'resolve-runner': {},
  restore: {
    'instance-id': 'i-0123456789abcdef0',
    'backup-uri': 's3://bench-backups/app/backups/20261204T000000Z',
    namespace: 'app',
    'state-claim': 'app-state',
  },
  validate: { 'instance-id': 'i-0123456789abcdef0', namespace: 'app', 'state-claim': 'app-state' },
  notify: {
    'topic-arn': 'arn:aws:sns:us-east-1:123456789012:standby',
    event: 'drill-complete',
  },
  'request-approval': {},
  promote: { 'github-token': 'ghs_bench', 'run-id': '12345', repository: 'octo-org/octo-repo' },
  teardown: { 'state-bucket': 'bench-state', 'lock-table': 'bench-locks', 'github-run-id': '12345' },
  failure: { 'job-results': '{"restore":{"result":"failure","outputs":{}}}' },
  sweep: { 'state-bucket': 'bench-state', 'lock-table': 'bench-locks' },
  backup: {
    'backup-uri': 's3://bench-backups/app/backups/',
    'state-dir': '/tmp/standby-bench-state',
    'manifests-dir': '/tmp/standby-bench-manifests',
  },
  'backup-prune': { 'backup-uri': 's3://bench-backups/app/backups/' },
  activate: { confirm: 'bench-1', 'instance-id': 'i-0123456789abcdef0', namespace: 'app' },
};

/**
 * The AWS SDK clients each phase constructs as it starts: the client classes its run code imports (as
 * values, over its static import closure) and the S3 and STS clients of runPhase (src/aws/clients.ts).
 * Clients imported only when needed (restore-precheck's CloudWatch, backup's KMS) are not among them.
 */
export const PHASE_CLIENTS: Record<string, string[]> = {
  'check-health': ['CloudWatchClient', 'S3Client', 'STSClient'],
  'restore-precheck': ['S3Client', 'STSClient'],
  bringup: ['EC2Client', 'S3Client', 'STSClient'],
  'resolve-runner': ['EC2Client', 'S3Client', 'SSMClient', 'STSClient'],
  restore: ['EC2Client', 'S3Client', 'SSMClient', 'STSClient'],
  validate: ['EC2Client', 'S3Client', 'SSMClient', 'STSClient'],
  notify: ['S3Client', 'SNSClient', 'STSClient'],
  'request-approval': ['S3Client', 'SNSClient', 'STSClient'],
  promote: ['S3Client', 'STSClient'],
  teardown: ['EC2Client', 'IAMClient', 'S3Client', 'STSClient'],
  failure: ['S3Client', 'SNSClient', 'STSClient'],
  sweep: ['DynamoDBClient', 'EC2Client', 'S3Client', 'STSClient'],
  backup: ['S3Client', 'STSClient'],
  'backup-prune': ['S3Client', 'STSClient'],
  activate: ['EC2Client', 'S3Client', 'SSMClient', 'STSClient'],
};

/** The package of each client class above. */
export const CLIENT_PACKAGES: Record<string, string> = {
  CloudWatchClient: '@aws-sdk/client-cloudwatch',
  DynamoDBClient: '@aws-sdk/client-dynamodb',
  EC2Client: '@aws-sdk/client-ec2',
  IAMClient: '@aws-sdk/client-iam',
  S3Client: '@aws-sdk/client-s3',
  SNSClient: '@aws-sdk/client-sns',
  SSMClient: '@aws-sdk/client-ssm',
  STSClient: '@aws-sdk/client-sts',
};
