import { z } from 'zod';
import { InputError } from '../validation/errors.js';
import { parseTargetName } from './target.js';

/**
 * The names of the targets a deployment declares, from the STANDBY_TARGETS repository variable that
 * terraform/orchestrator writes (`{"names": [...], "targets": {...}}`, docs/terraform.md "Targets").
 * Without the variable the deployment has one target, `default`.
 */
const DeclaredSchema = z.object({ names: z.array(z.string()).min(1) }).passthrough();

export function declaredTargetNames(input: string, raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return ['default'];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InputError(input, 'is not JSON (expected the STANDBY_TARGETS value Terraform writes)');
  }
  const result = DeclaredSchema.safeParse(parsed);
  if (!result.success) throw new InputError(input, 'has no list of target names ("names")');
  const names = result.data.names.map((name) => parseTargetName(input, name));
  if (new Set(names).size !== names.length) throw new InputError(input, 'names a target twice');
  return names;
}
