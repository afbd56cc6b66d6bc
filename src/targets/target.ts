import { InputError } from '../validation/errors.js';

/**
 * A target is one protected publisher and where it recovers to (SPEC "Targets"): its name keys its
 * executions, runners, receipts and concurrency groups; its kind says what the runner restores onto.
 * - `k3s` (the default): this execution's own k3s ARM instance.
 * - `eks`: an existing EKS cluster, where bringup adds this execution's own ARM node group.
 */
export const TARGET_KINDS = ['k3s', 'eks'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface Target {
  name: string;
  kind: TargetKind;
}

/** A deployment that declares no targets protects one, named `default`, on k3s: what it always did. */
export const DEFAULT_TARGET: Target = { name: 'default', kind: 'k3s' };

/**
 * Target names go into workflow concurrency groups, S3 prefixes, CloudWatch dimensions and resource
 * names, so they are short DNS-style labels. One table of cases (test/fixtures/target-name-cases.json)
 * holds every checker to this rule: this parser and the Terraform `targets` variable's validation.
 */
export const TARGET_NAME = /^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$/;

export function parseTargetName(input: string, raw: string): string {
  const value = raw.trim() || DEFAULT_TARGET.name;
  if (!TARGET_NAME.test(value))
    throw new InputError(
      input,
      `"${raw}" is not a target name: 1-31 characters, a-z, 0-9 and '-', starting with a letter and not ending with '-'`,
    );
  return value;
}

export function parseTargetKind(input: string, raw: string): TargetKind {
  const value = raw.trim() || DEFAULT_TARGET.kind;
  if (!(TARGET_KINDS as readonly string[]).includes(value))
    throw new InputError(input, `"${raw}" is not a target kind: use ${TARGET_KINDS.join(' or ')}`);
  return value as TargetKind;
}
