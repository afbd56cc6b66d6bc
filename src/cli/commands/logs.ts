import { readFile, writeFile } from 'node:fs/promises';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Command } from 'commander';
import { AwsClients } from '../../aws/clients.js';
import { exportLogEvents } from '../../logs/export.js';
import { type RedactionCount, redactText, serializeDocument } from '../../logs/redact.js';
import { describeError } from '../../util/errors.js';
import { parseIsoTimestamp } from '../../util/time.js';
import { InputError } from '../../validation/errors.js';
import { parseNumber, required } from '../../validation/primitives.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { commandGroup, nestedCommand, repeatable, usage } from './nested.js';

interface ExportFlags {
  logGroup: string;
  logStream?: string[];
  start?: string;
  end?: string;
  filterPattern?: string;
  out?: string;
  pageSize?: string;
  keepMessages?: boolean;
  awsRegion?: string;
  endpointUrl?: string;
  json?: boolean;
}

interface RedactFlags {
  out?: string;
  inPlace?: boolean;
  keepMessages?: boolean;
  json?: boolean;
}

export function logsCommand(term: Terminal): Command {
  const group = commandGroup(
    'logs',
    'Export CloudWatch Logs events as JSON with pagination tokens redacted.',
    term,
  );
  group.addCommand(exportCommand(term));
  group.addCommand(redactCommand(term));
  return group;
}

function exportCommand(term: Terminal): Command {
  return nestedCommand('export', term, [
    'standby logs export --log-group /aws/vendedlogs/states/standby-bridge --start 2026-11-21T22:00:00+01:00 --out bridge-logs.json',
    'standby logs export --log-group /standby/runner --log-stream i-0abc123 --filter-pattern ERROR > runner-errors.json',
  ])
    .description(
      'Every page of FilterLogEvents for a log group, written as JSON; every next*Token value is redacted.',
    )
    .requiredOption('--log-group <name>', 'CloudWatch Logs group')
    .option('--log-stream <name>', 'only this stream (repeatable)', repeatable)
    .option('--start <iso>', 'earliest event time, ISO-8601 with offset (e.g. 2026-11-21T22:00:00Z)')
    .option('--end <iso>', 'latest event time, ISO-8601 with offset')
    .option('--filter-pattern <pattern>', 'CloudWatch Logs filter pattern')
    .option('--out <file>', 'write the export here (must not exist) instead of standard output')
    .option('--page-size <n>', 'events per FilterLogEvents page (1-10000; default: AWS decides)')
    .option(
      '--keep-messages',
      'do not replace messages that look like credentials (they are redacted by default)',
    )
    .option('--aws-region <region>', 'AWS region (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator (sets AWS_ENDPOINT_URL)')
    .option('--json', 'with --out: print the summary as JSON (the export itself is always JSON)')
    .action(async (flags: ExportFlags) => {
      const query = usage(() => ({
        logGroupName: required('log-group', flags.logGroup),
        logStreamNames: flags.logStream,
        startTime: flags.start === undefined ? undefined : epochMillis('start', flags.start),
        endTime: flags.end === undefined ? undefined : epochMillis('end', flags.end),
        filterPattern: flags.filterPattern,
        limit:
          flags.pageSize === undefined
            ? undefined
            : parseNumber('page-size', flags.pageSize, { min: 1, max: 10_000, integer: true }),
      }));
      if (query.startTime !== undefined && query.endTime !== undefined && query.endTime < query.startTime) {
        throw new CliError('--end is before --start: swap them', EXIT.usage);
      }
      if (flags.endpointUrl) process.env.AWS_ENDPOINT_URL = flags.endpointUrl;
      const aws = new AwsClients({ region: flags.awsRegion });
      const client = aws.client('logs', (c) => new CloudWatchLogsClient(c));
      const exported = await exportLogEvents(client, query, { sanitizeMessages: !flags.keepMessages }).catch(
        (error) => {
          throw new CliError(
            `${describeError(error)} — check AWS credentials, --aws-region and that the log group exists`,
            EXIT.failed,
          );
        },
      );
      const text = serializeDocument(exported.document);
      if (!flags.out) return term.out(text.trimEnd());
      await writeNew(flags.out, text);
      report(term, flags.json, {
        file: flags.out,
        events: exported.document.eventCount,
        pages: exported.document.pages.length,
        redacted: exported.count,
      });
    });
}

function redactCommand(term: Terminal): Command {
  return nestedCommand('redact', term, [
    'standby logs redact get-log-events.json --out get-log-events.redacted.json',
    'standby logs redact bridge-logs.json --in-place --json',
  ])
    .description(
      'Redact every next*Token value (at any depth) in an existing JSON file; the shape is kept and a second run changes nothing.',
    )
    .argument('<file>', 'JSON file, e.g. saved `aws logs get-log-events` or `filter-log-events` output')
    .option('--out <file>', 'write the redacted copy here (must not exist)')
    .option('--in-place', 'rewrite <file> itself')
    .option('--keep-messages', 'do not replace messages that look like credentials')
    .option('--json', 'with --out or --in-place: print the summary as JSON')
    .action(async (file: string, flags: RedactFlags) => {
      if (flags.out && flags.inPlace) throw new CliError('give --out or --in-place, not both', EXIT.usage);
      const original = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new CliError(
          `cannot read ${file} (${error.code ?? error.message}): pass a JSON file that exists`,
          EXIT.usage,
        );
      });
      let redacted: ReturnType<typeof redactText>;
      try {
        redacted = redactText(original, { sanitizeMessages: !flags.keepMessages });
      } catch (error) {
        throw new CliError(`${file}: ${describeError(error)}`, EXIT.usage);
      }
      if (!flags.out && !flags.inPlace) return term.out(redacted.text.trimEnd());
      const target = flags.out ?? file;
      if (flags.out) await writeNew(flags.out, redacted.text);
      else if (redacted.text !== original) await writeFile(file, redacted.text);
      report(term, flags.json, {
        file: target,
        changed: redacted.text !== original,
        redacted: redacted.count,
      });
    });
}

function epochMillis(flag: string, raw: string): number {
  const parsed = parseIsoTimestamp(raw);
  if (!parsed)
    throw new InputError(flag, `'${raw}' is not an ISO-8601 time with an offset, e.g. 2026-11-21T22:00:00Z`);
  return parsed.getTime();
}

async function writeNew(path: string, text: string): Promise<void> {
  await writeFile(path, text, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST')
      throw new CliError(`${path} already exists: choose another --out or remove it`, EXIT.usage);
    throw new CliError(`cannot write ${path}: ${describeError(error)}`, EXIT.failed);
  });
}

function report(
  term: Terminal,
  json: boolean | undefined,
  summary: Record<string, unknown> & { redacted: RedactionCount },
): void {
  if (json) {
    term.out(JSON.stringify(summary, null, 2));
    return;
  }
  const { redacted, ...rest } = summary;
  const facts = Object.entries(rest)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  term.out(
    `${facts}; redacted ${redacted.tokens} pagination token(s) and ${redacted.messages} secret-looking message(s)`,
  );
}
