import type { DeclaredVariable } from './module-variables.js';
import {
  INJECTED_VARIABLES,
  type InjectedVariable,
  TARGET_KIND_VARIABLE,
  TARGET_VARIABLE,
} from './runner-contract.js';
import type { TerraformVars } from './variables.js';

/** The variables a user gives through STANDBY_TERRAFORM_VARS, with an example value for the messages. */
const EXAMPLES: Record<string, string> = {
  subnet_id: '"subnet-0123456789abcdef0"',
  backup_bucket: '"acme-backups-dr"',
};

export interface ModuleInputCheck {
  /** Variables without a default that nobody sets: Terraform would stop at plan with no prompt. */
  missing: string[];
  /** Contract variables the module does not declare (an older runner module): their value is ignored. */
  undeclaredInjected: InjectedVariable[];
  /** terraform-vars entries that try to set an injected variable to something else. */
  conflicts: { name: string; given: unknown; injected: string }[];
}

/**
 * Which of the module's variables are unset, given what bringup injects, what terraform-vars gives and
 * the TF_VAR_<name> environment (Terraform reads those too). Pure: the caller reads the module.
 */
export function checkModuleInputs(
  declared: DeclaredVariable[],
  injected: Record<string, string>,
  given: TerraformVars,
  env: NodeJS.ProcessEnv = {},
): ModuleInputCheck {
  const names = new Set(declared.map((v) => v.name));
  const missing = declared
    .filter((v) => !v.hasDefault && !(v.name in injected) && !(v.name in given))
    .filter((v) => env[`TF_VAR_${v.name}`] === undefined)
    .map((v) => v.name);
  const conflicts = Object.entries(given)
    .filter(([name, value]) => name in injected && value !== injected[name])
    .map(([name, value]) => ({ name, given: value, injected: injected[name] as string }));
  return {
    missing: [...new Set(missing)].sort(),
    undeclaredInjected: INJECTED_VARIABLES.filter((name) => !names.has(name)),
    conflicts,
  };
}

/** What to tell the operator about missing variables: each name, and the JSON to add. */
export function missingVariablesMessage(missing: string[], workingDirectory: string): string {
  const example = `{${missing.map((name) => `"${name}": ${EXAMPLES[name] ?? '"..."'}`).join(', ')}}`;
  return (
    `${workingDirectory} needs ${missing.length === 1 ? 'a value' : 'values'} for ` +
    `${missing.map((name) => `'${name}'`).join(', ')} (no default, not set by bringup). ` +
    `Add ${missing.length === 1 ? 'it' : 'them'} to the STANDBY_TERRAFORM_VARS repository variable ` +
    `(the terraform-vars input, a JSON object), e.g. ${example}. Nothing was planned.`
  );
}

export function conflictMessage(conflicts: ModuleInputCheck['conflicts']): string {
  return (
    conflicts
      .map(
        (c) =>
          `terraform-vars sets '${c.name}' to ${JSON.stringify(c.given)}, but bringup sets it to '${c.injected}'`,
      )
      .join('; ') +
    '. Remove these names from STANDBY_TERRAFORM_VARS: bringup derives them from the execution (region from aws-region, target_kind from target-kind).'
  );
}

/**
 * What a runner module from before targets (no target_kind, no target variable) means for this
 * execution's target: it cannot build an eks node group (refused), and its runner carries no
 * standby-target tag, so the runner limit counts it as target default (a warning for another target).
 */
export function targetGaps(
  declared: DeclaredVariable[],
  injected: Record<string, string>,
  workingDirectory: string,
): { refusal?: string; warnings: string[] } {
  const lacks = (name: string) => !declared.some((v) => v.name === name);
  if (injected[TARGET_KIND_VARIABLE] === 'eks' && lacks(TARGET_KIND_VARIABLE))
    return {
      refusal:
        `${workingDirectory} does not declare ${TARGET_KIND_VARIABLE}: this runner module can only build a k3s ` +
        'instance, not the eks node group this target needs. Use terraform/runner from this release.',
      warnings: [],
    };
  const target = injected[TARGET_VARIABLE];
  if (!target || target === 'default' || !lacks(TARGET_VARIABLE)) return { warnings: [] };
  return {
    warnings: [
      `${workingDirectory} does not declare ${TARGET_VARIABLE}: this runner will carry no standby-target tag, so ` +
        `the runner limit counts it as target default, not ${target}. Use terraform/runner from this release.`,
    ],
  };
}
