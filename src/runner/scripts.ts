import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type RunnerScriptName = 'restore.sh' | 'validate.sh' | 'activate.sh';

export interface RunnerScript {
  name: RunnerScriptName;
  text: string;
  sha256: string;
}

/**
 * The runner scripts are real files next to this module. `new URL(<literal>, import.meta.url)` is what
 * ncc recognises as an asset: the build copies each script into dist/ beside the bundle, so the same
 * code reads src/runner/*.sh under tests and dist/*.sh in Actions.
 */
const LOCATIONS: Record<RunnerScriptName, URL> = {
  'restore.sh': new URL('./restore.sh', import.meta.url),
  'validate.sh': new URL('./validate.sh', import.meta.url),
  'activate.sh': new URL('./activate.sh', import.meta.url),
};

export function loadRunnerScript(name: RunnerScriptName): RunnerScript {
  const text = readFileSync(LOCATIONS[name], 'utf8');
  return { name, text, sha256: createHash('sha256').update(text).digest('hex') };
}
