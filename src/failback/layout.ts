import { InputError, quoted } from '../validation/errors.js';
import { joinKey, parseKeyPrefix } from '../validation/primitives.js';

/**
 * Where failback looks. check-health's contract fixes the pointers (`state/`); where a run's published objects live
 * is the publisher's choice, so it is a template relative to the publish prefix (docs/failback.md).
 */
export interface FailbackLayout {
  bucket: string;
  prefix: string;
  pairs: string[];
  runPrefixTemplate: string;
}

export const DEFAULT_RUN_PREFIX_TEMPLATE = 'runs/{run_id}/';
export const GLOBAL_POINTER = 'global';

export interface PointerTarget {
  /** `global` or the provider/profile pair. */
  name: string;
  key: string;
}

/** Every pointer failback switches: the provider/profile ones first, the global one last. */
export function pointerTargets(layout: FailbackLayout): PointerTarget[] {
  const pairs = [...layout.pairs].sort().map((pair) => ({
    name: pair,
    key: joinKey(layout.prefix, 'state', pair, 'last_success.json'),
  }));
  return [...pairs, { name: GLOBAL_POINTER, key: joinKey(layout.prefix, 'state', 'last_success.json') }];
}

/** The key prefix of one run's published objects, always ending in '/' so run-1 never matches run-10. */
export function runPrefix(layout: FailbackLayout, runId: string): string {
  return `${joinKey(layout.prefix, layout.runPrefixTemplate.replace('{run_id}', runId))}/`;
}

/** A relative key prefix with `{run_id}` as one whole segment, outside the pointer folders state/ and latest/ (docs/failback.md). */
export function parseRunPrefixTemplate(input: string, raw: string): string {
  const value = (raw.trim() || DEFAULT_RUN_PREFIX_TEMPLATE).replace(/^\/+|\/+$/g, '');
  const segments = value.split('/');
  if (
    segments.filter((segment) => segment === '{run_id}').length !== 1 ||
    value.split('{run_id}').length !== 2
  ) {
    throw new InputError(
      input,
      `${quoted(raw)} must contain {run_id} exactly once, as a whole path segment, e.g. '${DEFAULT_RUN_PREFIX_TEMPLATE}'`,
    );
  }
  parseKeyPrefix(input, value.replace('{run_id}', 'x'));
  if (segments[0] === 'state' || segments[0] === 'latest') {
    throw new InputError(input, `${quoted(raw)} may not start with state/ or latest/ (the pointer folders)`);
  }
  return value;
}
