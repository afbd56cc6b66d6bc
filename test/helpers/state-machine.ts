import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: ASL definitions are untyped JSON
export type Asl = Record<string, any>;

export const STATE_MACHINE_FILE = path.resolve('terraform/orchestrator/state-machine.asl.json');

/** Renders the template the way Terraform's templatefile() does for plain ${name} placeholders. */
export function renderStateMachine(values: Record<string, string>): Asl {
  const template = readFileSync(STATE_MACHINE_FILE, 'utf8');
  const rendered = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder \${${name}} has no value`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(rendered) as Asl;
}

export function templatePlaceholders(): string[] {
  const template = readFileSync(STATE_MACHINE_FILE, 'utf8');
  return [
    ...new Set([...template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string)),
  ].sort();
}

const validator = createRequire(import.meta.url)('asl-validator') as (definition: Asl) => {
  isValid: boolean;
  errorsText(separator?: string): string;
};

export function validateAsl(definition: Asl): { isValid: boolean; errors: string } {
  const result = validator(structuredClone(definition));
  return { isValid: result.isValid, errors: result.errorsText() };
}
