import { assertRemoteBackend } from './backend.js';
import { checkModuleInputs, conflictMessage, missingVariablesMessage, targetGaps } from './module-inputs.js';
import { readModuleVariables } from './module-variables.js';
import type { TerraformVars } from './variables.js';

export interface Preflight {
  /** Set when Terraform must not run; reason is the receipt's failure reason. */
  failure?: { message: string; reason: 'invalid_input' | 'missing_variables' | 'terraform_failed' };
  warnings: string[];
  /** What goes into the -var-file: the user's values with the injected ones on top. */
  vars: TerraformVars;
}

/**
 * Everything that can be refused before Terraform runs at all: a working directory without the locked
 * S3 backend, terraform-vars that try to override an injected variable, and variables without a default
 * that nobody sets (Terraform's own error would come only after init, with no prompt in CI).
 */
export function preflight(
  workingDirectory: string,
  injected: Record<string, string>,
  given: TerraformVars,
  env: NodeJS.ProcessEnv = process.env,
): Preflight {
  const vars = { ...given, ...injected };
  try {
    assertRemoteBackend(workingDirectory);
  } catch (error) {
    return { failure: { message: (error as Error).message, reason: 'terraform_failed' }, warnings: [], vars };
  }
  const declared = readModuleVariables(workingDirectory);
  const gaps = targetGaps(declared, injected, workingDirectory);
  if (gaps.refusal)
    return { failure: { message: gaps.refusal, reason: 'invalid_input' }, warnings: [], vars };
  const check = checkModuleInputs(declared, injected, given, env);
  const warnings = [
    ...(check.undeclaredInjected.length
      ? [
          `${workingDirectory} does not declare ${check.undeclaredInjected.join(', ')}: an older runner module? ` +
            'Without expires_at and the standby-* tags the runner has no dead-man switch and the sweeper cannot see it.',
        ]
      : []),
    ...gaps.warnings,
  ];
  if (check.conflicts.length)
    return {
      failure: { message: conflictMessage(check.conflicts), reason: 'invalid_input' },
      warnings,
      vars,
    };
  if (check.missing.length)
    return {
      failure: {
        message: missingVariablesMessage(check.missing, workingDirectory),
        reason: 'missing_variables',
      },
      warnings,
      vars,
    };
  return { warnings, vars };
}
