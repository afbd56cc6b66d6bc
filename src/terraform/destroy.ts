import { describeError } from '../util/errors.js';
import type { BackendSettings } from './backend.js';
import { TerraformCli } from './cli.js';
import { planAndApply } from './plan-apply.js';
import { preflight } from './preflight.js';
import type { TerraformVars } from './variables.js';

export interface DestroyStateRequest {
  workingDirectory: string;
  /** The execution's own state (its key) and the region it is kept in. */
  backend: BackendSettings;
  /** The injected variables (destroyVariables) and the user's terraform-vars. */
  injected: Record<string, string>;
  given: TerraformVars;
  /** Terraform's output goes to info; preflight warnings to warning when given. */
  io: { info(line: string): void; warning(line: string): void };
  /** Logged once preflight has passed, before Terraform runs. */
  announce?: string;
}

export interface DestroyStateOutcome {
  planSha256: string;
  terraformVersion: string;
  /** Why nothing (or not everything) was destroyed: preflight refused, or Terraform failed. */
  error?: string;
}

/**
 * preflight, then `plan -destroy` + apply of that plan through one execution's state (teardown and the
 * sweeper). Nothing is thrown: the caller still has work to do after a failed destroy (teardown verifies
 * what is left, the sweeper terminates instead).
 */
export async function destroyState(request: DestroyStateRequest): Promise<DestroyStateOutcome> {
  const { workingDirectory, io } = request;
  const none = { planSha256: '', terraformVersion: '' };
  const checked = preflight(workingDirectory, request.injected, request.given);
  for (const warning of checked.warnings) io.warning(warning);
  if (checked.failure) return { ...none, error: checked.failure.message };
  if (request.announce) io.info(request.announce);
  const terraform = new TerraformCli({ workingDirectory, log: (line) => io.info(line) });
  try {
    const applied = await planAndApply(terraform, {
      workingDirectory,
      backend: request.backend,
      vars: checked.vars,
      destroy: true,
    });
    return { planSha256: applied.planSha256, terraformVersion: applied.terraformVersion };
  } catch (error) {
    return { ...none, error: describeError(error) };
  }
}
