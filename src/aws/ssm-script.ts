import type { RunnerScript } from '../runner/scripts.js';

/** A script and the files it reads from its own directory (none for a bare script in tests). */
type RunnerScriptDelivery = Omit<RunnerScript, 'companions'> & Partial<Pick<RunnerScript, 'companions'>>;

const ENV_NAME = /^STANDBY_[A-Z0-9_]+$/;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The AWS-RunShellScript `commands` that run one runner script with the given environment.
 * Nothing is spliced as shell text: the script and every value travel base64-encoded (alphabet
 * A-Z a-z 0-9 + / =, inert inside single quotes) and are decoded on the runner, so even a value that
 * slipped past validation arrives as data. Companion files (restore.sh's restore-plan.jq) land beside
 * the script, base64 too. Values are validated by the phases before they get here.
 */
export function buildShellCommands(script: RunnerScriptDelivery, env: Record<string, string>): string[] {
  const assignments = Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new Error(`environment name '${name}' is not STANDBY_[A-Z0-9_]+`);
    return `${name}="$(printf '%s' '${b64(value)}' | base64 -d)"; export ${name}`;
  });
  return [
    `# standby runner script ${script.name} sha256 ${script.sha256}`,
    'set -eu',
    'standby_dir=$(mktemp -d)',
    `trap 'rm -rf "$standby_dir"' EXIT`,
    ...[script, ...(script.companions ?? [])].map(
      (file) => `printf '%s' '${b64(file.text)}' | base64 -d > "$standby_dir/${file.name}"`,
    ),
    ...assignments,
    `bash "$standby_dir/${script.name}"`,
  ];
}
