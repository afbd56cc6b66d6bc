import { z } from 'zod';

export const ActivateReportSchema = z.object({
  schema: z.literal('standby.activate-report/v1'),
  script_version: z.number().int(),
  ok: z.boolean(),
  cronjobs: z.array(z.object({ name: z.string(), was_suspended: z.boolean(), suspended: z.boolean() })),
  /** The workloads restore held (issue 20.4), each set back to what its standby.dev/held annotation said. */
  released: z.array(z.object({ kind: z.string(), name: z.string(), restored: z.unknown() })).default([]),
  /** Set when activate.sh made this runner the serving standby: its marker and the expiry timer's state. */
  serving: z
    .object({ marker: z.string(), expiry_timer: z.enum(['disabled', 'still-enabled']) })
    .nullable()
    .optional(),
  failures: z.array(z.string()),
});
export type ActivateReport = z.infer<typeof ActivateReportSchema>;

/** Every CronJob asked for is reported, and none is still suspended (fail closed). */
export function activateProblems(report: ActivateReport, expected: string[]): string[] {
  const problems = [...report.failures];
  for (const name of expected) {
    const seen = report.cronjobs.find((c) => c.name === name);
    if (!seen) problems.push(`CronJob ${name} was not reported`);
    else if (seen.suspended) problems.push(`CronJob ${name} is still suspended`);
  }
  if (!report.ok && problems.length === 0) problems.push('activate.sh reported failure without a reason');
  return [...new Set(problems)];
}
