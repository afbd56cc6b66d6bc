import type { InputSpec } from '../../io/input-spec.js';
import type { RunnerKind } from '../../terraform/runner-contract.js';
import { InputError, quoted } from '../../validation/errors.js';
import { parseBoolean, parseNumber } from '../../validation/primitives.js';
import { parseTerraformRunInputs, type TerraformRunInputs, terraformRunInputs } from '../terraform-inputs.js';

export const bringupInputs: Record<string, InputSpec> = {
  ...terraformRunInputs,
  kind: {
    description:
      "drill or dr: the runner's standby-kind tag and its lifetime (a drill runner dies sooner; real DR keeps its standby).",
    required: true,
  },
  'github-run-id': {
    description:
      'The GitHub run that owns the runner (its standby-run-id tag; the sweeper checks that run is live).',
    default: '',
  },
  'max-runners': {
    description:
      'Refuse when this many standby runners of other executions of the same target are already up in the region (a real DR counts only real-DR runners: drills never refuse it).',
    default: '2',
  },
  'drill-lifetime-minutes': {
    description:
      'A drill runner shuts itself down (terminates) this long after bringup unless a phase extends it.',
    default: '180',
  },
  'dr-lifetime-hours': {
    description: "Lifetime of a real DR runner (default 720 h = 30 days, GitHub's pending-review expiry).",
    default: '720',
  },
  'plan-only': {
    description: 'Plan-only drill: plan and record the changes, apply nothing (true/false).',
    default: 'false',
    boolean: true,
  },
};

export interface BringupInputs extends TerraformRunInputs {
  kind: RunnerKind;
  githubRunId: string;
  maxRunners: number;
  lifetimeMs: number;
  planOnly: boolean;
}

export function parseBringupInputs(read: (name: string) => string): BringupInputs {
  const kind = read('kind').trim();
  if (kind !== 'drill' && kind !== 'dr')
    throw new InputError(
      'kind',
      `must be drill or dr, got ${quoted(kind)} (the pipeline passes drill for drills, dr for real DR)`,
    );
  const githubRunId = read('github-run-id').trim();
  if (githubRunId !== '' && !/^[1-9]\d{0,19}$/.test(githubRunId))
    throw new InputError('github-run-id', `${quoted(githubRunId)} is not a workflow run id`);
  const lifetimeMs =
    kind === 'drill'
      ? parseNumber('drill-lifetime-minutes', read('drill-lifetime-minutes'), {
          min: 30,
          max: 7 * 24 * 60,
          integer: true,
        }) * 60_000
      : parseNumber('dr-lifetime-hours', read('dr-lifetime-hours'), { min: 1, max: 24 * 90, integer: true }) *
        3_600_000;
  return {
    ...parseTerraformRunInputs(read),
    kind,
    githubRunId,
    maxRunners: parseNumber('max-runners', read('max-runners'), { min: 1, max: 50, integer: true }),
    lifetimeMs,
    planOnly: parseBoolean('plan-only', read('plan-only'), false),
  };
}
