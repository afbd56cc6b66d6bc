import { FilterLogEventsCommand, type FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { type RedactionCount, redactDocument } from './redact.js';

/** The part of CloudWatchLogsClient this needs: tests can pass a fake that serves pages. */
export interface LogEventsClient {
  send(command: FilterLogEventsCommand): Promise<FilterLogEventsCommandOutput>;
}

export interface LogEventsQuery {
  logGroupName: string;
  logStreamNames?: string[];
  /** Epoch milliseconds, as the API takes them. */
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  /** Events per page (FilterLogEvents `limit`); AWS's default when unset. */
  limit?: number;
}

export interface LogExport {
  schema: 'standby.log-export/v1';
  query: LogEventsQuery;
  eventCount: number;
  /** Every FilterLogEvents response as AWS returned it (minus SDK metadata), tokens redacted. */
  pages: unknown[];
}

/**
 * All pages of FilterLogEvents for a group (optionally some streams and a time range). The tokens are
 * needed to walk the pages and are then redacted in what is written: they are replayable cursors into
 * the account's logs and have no value as evidence.
 */
export async function exportLogEvents(
  client: LogEventsClient,
  query: LogEventsQuery,
  options: { sanitizeMessages: boolean; maxPages?: number },
): Promise<{ document: LogExport; count: RedactionCount }> {
  const pages: unknown[] = [];
  let eventCount = 0;
  let token: string | undefined;
  const maxPages = options.maxPages ?? 10_000;
  for (let page = 0; ; page++) {
    if (page >= maxPages)
      throw new Error(`more than ${maxPages} pages of log events: narrow --start/--end or --filter-pattern`);
    const { $metadata: _metadata, ...response } = await client.send(
      new FilterLogEventsCommand({
        logGroupName: query.logGroupName,
        logStreamNames: query.logStreamNames?.length ? query.logStreamNames : undefined,
        startTime: query.startTime,
        endTime: query.endTime,
        filterPattern: query.filterPattern,
        limit: query.limit,
        nextToken: token,
      }),
    );
    pages.push(response);
    eventCount += response.events?.length ?? 0;
    // A token equal to the one just sent means "no further pages" for some log APIs; stop rather than loop.
    if (!response.nextToken || response.nextToken === token) break;
    token = response.nextToken;
  }
  const raw: LogExport = { schema: 'standby.log-export/v1', query, eventCount, pages };
  const { document, count } = redactDocument(raw, { sanitizeMessages: options.sanitizeMessages });
  return { document: document as LogExport, count };
}
