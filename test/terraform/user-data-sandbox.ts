import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Terraform's templatefile() for what the runner template uses: ${name} interpolations of the variables
 * passed, $${ and %%{ escapes. Any other expression or a %{ directive is an error here, so the template
 * cannot grow something this renderer would silently get wrong.
 */
export function renderTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/(\$\$\{|%%\{|\$\{([^}]*)\}|%\{)/g, (match, _all, expression?: string) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    if (match === '%{') throw new Error('template directives (%{...}) are not supported by this renderer');
    const name = String(expression).trim();
    if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsupported template expression \${${name}}`);
    if (!(name in values)) throw new Error(`templatefile would fail: no variable ${name}`);
    return String(values[name]);
  });
}

const SYSTEM_TOOLS = [
  'bash',
  'cat',
  'chmod',
  'cp',
  'date',
  'env',
  'grep',
  'install',
  'ln',
  'ls',
  'mkdir',
  'mktemp',
  'mv',
  'rm',
  'sed',
  'sha256sum',
  'base64',
  'sleep',
  'tr',
  'head',
  'wc',
  'touch',
  'stat',
];

/**
 * Where each tool is on the test machine (`command -v`, '' when absent), asked once per tool per test file
 * and for all missing ones in one bash: a sandbox per test asking one bash per tool cost about 25 process
 * starts each (user-data.test.ts builds one for most of its 39 tests).
 */
const located = new Map<string, string>();
function commandV(tools: readonly string[]): string[] {
  const missing = tools.filter((tool) => !located.has(tool));
  if (missing.length > 0) {
    const script = missing.map((tool) => `printf '%s\\n' "$(command -v ${tool})"`).join('\n');
    const lines = spawnSync('bash', ['-c', script], { encoding: 'utf8' }).stdout.split('\n');
    missing.forEach((tool, i) => {
      located.set(tool, (lines[i] ?? '').trim());
    });
  }
  return tools.map((tool) => located.get(tool) ?? '');
}

/**
 * A scratch machine for the runner's shell: a root directory the user data writes under (STANDBY_ROOT),
 * and a PATH holding only stubs plus the few system tools named above (so "is jq installed?" is answered
 * by what the stub dnf installed, not by the test machine). Every stub appends one line to calls.log.
 */
export class ShellSandbox {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'standby-userdata-'));
  readonly root = this.path('root');
  readonly stubs = this.path('stubs');
  readonly system = this.path('system');

  constructor() {
    mkdirSync(this.root, { recursive: true });
    mkdirSync(this.stubs, { recursive: true });
    mkdirSync(this.system, { recursive: true });
    const found = commandV(SYSTEM_TOOLS);
    SYSTEM_TOOLS.forEach((tool, i) => {
      if (found[i]) symlinkSync(found[i], path.join(this.system, tool));
    });
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** A stub command: a bash script body; $CALLS is the log file. */
  stub(name: string, body: string): void {
    const file = path.join(this.stubs, name);
    writeFileSync(file, `#!/bin/bash\nset -u\necho "${name} $*" >>"$CALLS"\n${body}\n`);
    chmodSync(file, 0o755);
  }

  /** Puts a real tool of the test machine on the sandbox PATH (as if installed). */
  link(tool: string): void {
    const [found] = commandV([tool]);
    if (!found)
      throw new Error(`${tool} is not installed on this machine (scripts/bootstrap.sh --test-tools)`);
    symlinkSync(found, path.join(this.stubs, tool));
  }

  write(file: string, content: string): void {
    mkdirSync(path.dirname(this.path(file)), { recursive: true });
    writeFileSync(this.path(file), content);
  }

  calls(): string[] {
    try {
      return readFileSync(this.path('calls.log'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  run(script: string, env: Record<string, string> = {}) {
    const scriptFile = this.path(`script-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(scriptFile, script);
    return spawnSync(path.join(this.system, 'bash'), [scriptFile], {
      env: { PATH: `${this.stubs}:${this.system}`, CALLS: this.path('calls.log'), HOME: this.dir, ...env },
      encoding: 'utf8',
      input: env.STDIN ?? '',
      timeout: 30_000,
    });
  }
}
