import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Command } from 'commander';
import { exportLogEvents } from '../../logs/export.js';
import { serializeDocument } from '../../logs/redact.js';
import { describeError } from '../../util/errors.js';
import { parseIsoTimestamp } from '../../util/time.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseNumber, required } from '../../validation/primitives.js';
import { type AwsFlags, awsFromFlags, checkExpectedAccount, EXPECTED_ACCOUNT_FLAG } from '../aws-flags.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { report, writeNew } from './logs-output.js';
import { redactCommand } from './logs-redact.js';
import { commandGroup, nestedCommand, repeatable, usage } from './nested.js';

interface ExportFlags extends AwsFlags {
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
      'do not run the sanitiser over messages (by default secrets inside them are replaced, the rest kept)',
    )
    .option('--aws-region <region>', 'AWS region (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint override, e.g. the local emulator')
    .option(...EXPECTED_ACCOUNT_FLAG)
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
      const aws = awsFromFlags(flags);
      await checkExpectedAccount(aws, flags);
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

function epochMillis(flag: string, raw: string): number {
  const parsed = parseIsoTimestamp(raw);
  if (!parsed)
    throw new InputError(
      flag,
      `${quoted(raw)} is not an ISO-8601 time with an offset, e.g. 2026-11-21T22:00:00Z`,
    );
  return parsed.getTime();
}
