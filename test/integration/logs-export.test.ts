import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  type FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { clientConfig } from '../../src/aws/clients.js';
import { runCli } from '../../src/cli/main.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { exportLogEvents } from '../../src/logs/export.js';
import { useEmulator } from '../helpers/emulator.js';

useEmulator();

const group = '/standby/runner';
const stream = 'i-0abc1234def567890';
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'standby-logs-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function seedLogs(messages: string[]): Promise<CloudWatchLogsClient> {
  const client = new CloudWatchLogsClient(clientConfig());
  await client.send(new CreateLogGroupCommand({ logGroupName: group }));
  await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  const start = Date.now() - 60_000;
  await client.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: messages.map((message, i) => ({ timestamp: start + i * 1000, message })),
    }),
  );
  return client;
}

/** Wraps the real client to see the tokens the API handed out, so the test can look for them in the output. */
function spying(client: CloudWatchLogsClient) {
  const tokens: string[] = [];
  return {
    tokens,
    async send(command: FilterLogEventsCommand) {
      const response = await client.send(command);
      if (response.nextToken) tokens.push(response.nextToken);
      return response;
    },
  };
}

function capture(): Terminal & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, color: false, out: (t) => lines.push(t), err: (t) => errors.push(t) };
}

const messages = [
  'restore: start',
  'restore: 14 manifests applied',
  'token ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'validate: passed',
  'done',
];

describe('logs export on the emulator (FilterLogEvents, every page)', () => {
  it('walks every page, keeps every event and the AWS shape, redacts the tokens it followed', async () => {
    const client = spying(await seedLogs(messages));
    const { document, count } = await exportLogEvents(
      client,
      { logGroupName: group, limit: 2 },
      { sanitizeMessages: true },
    );
    expect(client.tokens.length).toBeGreaterThanOrEqual(2);
    expect(document.eventCount).toBe(5);
    expect(document.pages.length).toBe(client.tokens.length + 1);
    const pages = document.pages as Array<{
      events: Array<{ message: string }>;
      nextToken?: string | null;
      searchedLogStreams?: unknown;
    }>;
    expect(pages.flatMap((p) => p.events.map((e) => e.message))).toEqual([
      messages[0],
      messages[1],
      'token [redacted]', // the secret goes, the message stays
      messages[3],
      messages[4],
    ]);
    expect(pages.slice(0, -1).every((p) => p.nextToken === '[redacted]')).toBe(true);
    expect(pages.every((p) => 'searchedLogStreams' in p)).toBe(true);
    const text = JSON.stringify(document);
    for (const token of client.tokens) expect(text).not.toContain(token);
    expect(count).toEqual({ tokens: client.tokens.length, messages: 1 });
  });

  it('standby logs export writes the file, and logs redact over it changes nothing', async () => {
    await seedLogs(messages);
    const out = join(work, 'runner-logs.json');
    const term = capture();
    const exitCode = await runCli(
      [
        'logs',
        'export',
        '--log-group',
        group,
        '--log-stream',
        stream,
        '--page-size',
        '2',
        '--out',
        out,
        '--json',
      ],
      term,
    );
    expect(term.errors).toEqual([]);
    expect(exitCode).toBe(0);
    expect(JSON.parse(term.lines.join('\n'))).toMatchObject({
      file: out,
      events: 5,
      pages: 3,
      redacted: { tokens: 2, messages: 1 },
    });
    const exported = await readFile(out, 'utf8');

    const again = capture();
    expect(await runCli(['logs', 'redact', out, '--in-place', '--json'], again)).toBe(0);
    expect(JSON.parse(again.lines.join('\n'))).toMatchObject({
      changed: false,
      redacted: { tokens: 0, messages: 0 },
    });
    expect(await readFile(out, 'utf8')).toBe(exported);

    const refused = capture();
    expect(await runCli(['logs', 'export', '--log-group', group, '--out', out], refused)).toBe(2);
    expect(refused.errors.join('\n')).toMatch(/already exists: choose another --out or remove it/);
  });

  it('logs redact on a saved get-log-events file redacts both tokens and writes a new file', async () => {
    const source = new URL('../fixtures/aws/get-log-events.json', import.meta.url).pathname;
    const out = join(work, 'get-log-events.redacted.json');
    const term = capture();
    expect(await runCli(['logs', 'redact', source, '--out', out], term)).toBe(0);
    expect(term.lines.join('\n')).toMatch(
      /changed: true; redacted 2 pagination token\(s\) and 1 value\(s\) with a secret replaced/,
    );
    const redacted = JSON.parse(await readFile(out, 'utf8'));
    expect([redacted.nextForwardToken, redacted.nextBackwardToken]).toEqual(['[redacted]', '[redacted]']);
  });

  it('bad input exits 2 with what to do; AWS errors exit 1', async () => {
    const notJson = join(work, 'not.json');
    await writeFile(notJson, 'nextToken=abc');
    const cases: Array<[string[], number, RegExp]> = [
      [
        ['logs', 'export', '--log-group', group, '--start', 'yesterday'],
        2,
        /--start: 'yesterday' is not an ISO-8601 time with an offset/,
      ],
      [
        [
          'logs',
          'export',
          '--log-group',
          group,
          '--start',
          '2026-11-22T00:00:00Z',
          '--end',
          '2026-11-21T00:00:00+01:00',
        ],
        2,
        /--end is before --start/,
      ],
      [['logs', 'redact', notJson], 2, /not JSON .*logs redact reads JSON/],
      [
        ['logs', 'redact', join(work, 'missing.json')],
        2,
        /cannot read .*ENOENT.*pass a JSON file that exists/,
      ],
      [
        ['logs', 'export', '--log-group', '/does/not/exist'],
        1,
        /ResourceNotFoundException.*check AWS credentials, --aws-region and that the log group exists/,
      ],
    ];
    for (const [argv, code, message] of cases) {
      const term = capture();
      expect(await runCli(argv, term)).toBe(code);
      expect(term.errors.join('\n')).toMatch(message);
    }
  });
});
