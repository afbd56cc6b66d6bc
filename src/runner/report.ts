import type { z } from 'zod';
import { type CommandOutcome, SSM_OUTPUT_LIMIT } from '../aws/ssm-command.js';

export class ReportError extends Error {
  override name = 'ReportError';
  constructor(
    message: string,
    readonly reason: 'runner_timeout' | 'report_truncated' | 'report_not_json' | 'report_invalid',
  ) {
    super(message);
  }
}

/**
 * The runner script's one JSON report, from the last line of stdout, checked against its schema.
 * Fails closed: a timed-out or cancelled command, truncated output, non-JSON or a missing field is an
 * error, never a pass. A script that exited non-zero still reports (its failures are in the report).
 */
export function parseRunnerReport<T>(outcome: CommandOutcome, schema: z.ZodType<T>, script: string): T {
  if (outcome.status === 'TimedOut' || outcome.status === 'Cancelled') {
    throw new ReportError(
      `${script} ${outcome.status} on the runner (command ${outcome.commandId})`,
      'runner_timeout',
    );
  }
  if (outcome.stdoutTruncated) {
    throw new ReportError(
      `${script} output reached SSM's ${SSM_OUTPUT_LIMIT}-character limit; the report is truncated`,
      'report_truncated',
    );
  }
  const line = outcome.stdout.trim().split('\n').pop() ?? '';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    const stderr = outcome.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new ReportError(
      `${script} printed no JSON report (status ${outcome.status}, exit ${outcome.responseCode ?? '?'}${stderr ? `, stderr: ${stderr}` : ''})`,
      'report_not_json',
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new ReportError(`${script} report is incomplete: ${problems}`, 'report_invalid');
  }
  return parsed.data;
}
