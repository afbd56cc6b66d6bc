import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AwsClients } from '../../src/aws/clients.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { checkHealth } from '../../src/phases/check-health/index.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { useEmulator } from '../helpers/emulator.js';
import { startGitHubStandIn } from '../helpers/github-api.js';
import { seedPublisher } from '../helpers/publisher.js';
import { captureTerminal } from '../helpers/terminal.js';

/**
 * Issue 19.11: CLI input is checked before anything runs. On 295db39 check-health ran with any
 * --aws-region, `status --run <bad>` exited 1, a bad --receipt-bucket was found only after the GitHub
 * calls, and an error echoed a bad value whole, newlines included.
 */
useEmulator();

let api: Awaited<ReturnType<typeof startGitHubStandIn>>;
beforeEach(async () => {
  // Every route answers 404: a test that expects no GitHub call asserts the request log stays empty.
  api = await startGitHubStandIn({});
  process.env.GITHUB_API_URL = api.url;
  process.env.GH_TOKEN = 'ghp_operatorownreviewertoken0123456789ab';
});
afterEach(async () => {
  await api.close();
  delete process.env.GITHUB_API_URL;
  delete process.env.GH_TOKEN;
});

async function cli(args: string[]) {
  const term = captureTerminal();
  const code = await runCli(args, term);
  return { code, out: term.stdout.join('\n'), err: term.stderr.join('\n') };
}

const BAD_REGIONS = ['mars-north-1', 'us-east-1; rm -rf /', 'US-EAST-1', 'us-east-1 eu-west-1'];

describe('--aws-region goes through the one region parser', () => {
  for (const region of BAD_REGIONS) {
    it(`check-health refuses ${JSON.stringify(region)} before any AWS call (exit 2)`, async () => {
      const aws = new AwsClients();
      await seedPublisher(aws.s3, { pairs: ['acme/daily'] });
      const { code, err } = await cli([
        'check-health',
        '--publish-bucket',
        'publisher',
        '--providers',
        'acme/daily',
        '--aws-region',
        region,
      ]);
      expect(code).toBe(EXIT.usage);
      expect(err).toMatch(/--aws-region: '.*' is not an AWS region code such as us-east-1/);
    });
  }

  it('the action refuses it too, naming the input (invalid_input, no receipt)', async () => {
    const io = new MemoryIO({
      'execution-id': 'drill-1',
      'publish-bucket': 'publisher',
      providers: 'acme/daily',
      'aws-region': 'mars-north-1',
    });
    const { result, receipt } = await runPhase(checkHealth, io);
    expect(result.failure).toEqual({
      reason: 'invalid_input',
      message: "input 'aws-region': 'mars-north-1' is not an AWS region code such as us-east-1",
    });
    expect(receipt).toBeUndefined();
  });

  it.each([
    [['logs', 'export', '--log-group', '/standby/runner']],
    [['evidence', 'collect', '--execution-id', 'drill-1', '--receipt-bucket', 'receipts', '--out', '/tmp/x']],
    [
      [
        'failback',
        '--publish-bucket',
        'pub',
        '--dr-run-id',
        'dr-1',
        '--primary-run-id',
        'p-1',
        '--providers',
        'a/b',
      ],
    ],
  ])('%j refuses a bad region with exit 2', async (args) => {
    const { code, err } = await cli([...args, '--aws-region', 'mars-north-1']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain("--aws-region: 'mars-north-1' is not an AWS region code");
  });

  it('a good region still works', async () => {
    await ensureBucket(new AwsClients().s3, 'receipts');
    const { code } = await cli(['logs', 'export', '--log-group', '/none', '--aws-region', 'eu-west-1']);
    // The emulator has no such log group: an AWS error (exit 1), not a usage error.
    expect(code).toBe(EXIT.failed);
  });
});

describe('operator commands check every flag before the first GitHub call', () => {
  it('status --run <bad> exits 2 naming --run, with no GitHub request', async () => {
    const { code, err } = await cli(['status', '--repo', 'octo/repo', '--run', 'abc']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain("--run: 'abc' is not a workflow run id");
    expect(api.requests).toEqual([]);
  });

  it('status --receipt-bucket <bad> exits 2 before any GitHub request', async () => {
    const { code, err } = await cli(['status', '--repo', 'octo/repo', '--receipt-bucket', 'Bad_Bucket']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain("--receipt-bucket: 'Bad_Bucket' is not a valid S3 bucket name");
    expect(api.requests).toEqual([]);
  });

  it('approve --receipt-bucket <bad> and --ticket <bad> exit 2 before any GitHub request', async () => {
    const base = ['approve', '--repo', 'octo/repo', '--run', '42', '--dry-run'];
    const bucket = await cli([...base, '--ticket', 'CHG-1', '--receipt-bucket', 'Bad_Bucket']);
    expect(bucket.code).toBe(EXIT.usage);
    expect(bucket.err).toContain('--receipt-bucket');
    const ticket = await cli([...base, '--ticket', 'no spaces allowed']);
    expect(ticket.code).toBe(EXIT.usage);
    expect(ticket.err).toContain("--ticket: 'no spaces allowed' is not a ticket id");
    expect(api.requests).toEqual([]);
  });
});

describe('an error echoes a bad value on one line, at most 200 characters of it', () => {
  it('newlines and control characters are escaped', async () => {
    const { code, err } = await cli(['status', '--repo', 'octo/repo', '--run', '12\nerror: forged\u001b[2J']);
    expect(code).toBe(EXIT.usage);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain("'12\\nerror: forged\\x1B[2J'");
  });

  it('a long value is cut with its full length given', async () => {
    const long = `Bad_${'x'.repeat(5000)}`;
    const { code, err } = await cli(['status', '--repo', 'octo/repo', '--receipt-bucket', long]);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain(`'Bad_${'x'.repeat(196)}…' (5004 characters)`);
    expect(err.length).toBeLessThan(450);
  });

  it('the phases echo the same way (check-health, as the action)', async () => {
    const io = new MemoryIO({
      'execution-id': 'drill-1',
      'publish-bucket': `bad\r\n${'b'.repeat(300)}`,
      providers: 'acme/daily',
    });
    const { result } = await runPhase(checkHealth, io);
    expect(result.failure?.message).toMatch(/^input 'publish-bucket': 'bad\\r\\nb{195}…' \(305 characters\)/);
    expect(result.failure?.message).not.toContain('\n');
  });
});
