import { InputError, quoted } from '../validation/errors.js';

export type TerraformVars = Record<string, unknown>;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/**
 * The terraform-vars input: a JSON object of variable values. They reach Terraform through a
 * -var-file (JSON), never spliced into a command line, so no value can become a flag.
 */
export function parseTerraformVars(input: string, raw: string): TerraformVars {
  const text = raw.trim() === '' ? '{}' : raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      input,
      `is not valid JSON (${(error as Error).message}); expected an object such as {"subnet_id": "subnet-0abc..."}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(input, 'must be a JSON object of Terraform variable names to values');
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (!NAME.test(name)) throw new InputError(input, `${quoted(name)} is not a Terraform variable name`);
    if (value === null || value === undefined)
      throw new InputError(input, `${quoted(name)} is null; leave it out to use the module default`);
  }
  return parsed as TerraformVars;
}

/** A string variable, when the caller set one (teardown reads name and region this way). */
export function stringVar(vars: TerraformVars, name: string): string | undefined {
  const value = vars[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
