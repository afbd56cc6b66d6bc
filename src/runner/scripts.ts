import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type RunnerScriptName = 'restore.sh' | 'validate.sh' | 'activate.sh';
/** Files a runner script reads from its own directory (restore.sh's plan, src/runner/restore-plan.jq). */
export type RunnerCompanionName = 'restore-plan.jq';

export interface RunnerFile {
  name: string;
  text: string;
  sha256: string;
}

export interface RunnerScript extends RunnerFile {
  name: RunnerScriptName;
  /** Delivered into the same directory as the script, before it runs. */
  companions: RunnerFile[];
}

/**
 * The runner scripts are real files next to this module. `new URL(<literal>, import.meta.url)` is what
 * ncc recognises as an asset: the build copies each script into dist/ beside the bundle, so the same
 * code reads src/runner/*.sh under tests and dist/*.sh in Actions.
 */
const LOCATIONS: Record<RunnerScriptName | RunnerCompanionName, URL> = {
  'restore.sh': new URL('./restore.sh', import.meta.url),
  'validate.sh': new URL('./validate.sh', import.meta.url),
  'activate.sh': new URL('./activate.sh', import.meta.url),
  'restore-plan.jq': new URL('./restore-plan.jq', import.meta.url),
};

const COMPANIONS: Record<RunnerScriptName, RunnerCompanionName[]> = {
  'restore.sh': ['restore-plan.jq'],
  'validate.sh': [],
  'activate.sh': [],
};

export function loadRunnerFile(name: RunnerCompanionName): RunnerFile;
export function loadRunnerFile(name: RunnerScriptName): RunnerFile & { name: RunnerScriptName };
export function loadRunnerFile(name: RunnerScriptName | RunnerCompanionName): RunnerFile {
  const text = readFileSync(LOCATIONS[name], 'utf8');
  return { name, text, sha256: createHash('sha256').update(text).digest('hex') };
}

export function loadRunnerScript(name: RunnerScriptName): RunnerScript {
  return { ...loadRunnerFile(name), companions: COMPANIONS[name].map((c) => loadRunnerFile(c)) };
}
