import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertRemoteBackend, type BackendSettings, backendConfigArgs } from './backend.js';
import type { TerraformCli } from './cli.js';
import { type PublicOutputs, publicOutputs } from './outputs.js';
import { type PlannedChange, plannedChanges } from './plan-changes.js';
import type { TerraformVars } from './variables.js';
import { checkTerraformVersion } from './version.js';

export interface PlanApplyRequest {
  workingDirectory: string;
  backend: BackendSettings;
  vars: TerraformVars;
  /** Plan a destroy instead of a create/update. */
  destroy?: boolean;
  /** Stop after the plan: report its changes, apply nothing (plan-only drills). */
  planOnly?: boolean;
  lockTimeout?: string;
}

export interface PlanApplyResult {
  terraformVersion: string;
  planSha256: string;
  outputs: PublicOutputs;
  /** Set for plan-only runs: what the plan would change. */
  changes?: PlannedChange[];
}

/**
 * Checks the terraform on PATH is the pinned version, inits against the given backend, `plan -out`, hash the saved plan (the receipt names exactly what was
 * applied), apply that plan file and nothing else, then read the outputs. The var file and the plan
 * (which can hold secrets) live in a private temporary directory that is always removed.
 */
export async function planAndApply(
  terraform: TerraformCli,
  request: PlanApplyRequest,
): Promise<PlanApplyResult> {
  assertRemoteBackend(request.workingDirectory);
  const terraformVersion = await checkTerraformVersion(terraform, request.workingDirectory);
  const scratch = await mkdtemp(path.join(tmpdir(), 'standby-tf-'));
  try {
    const varFile = path.join(scratch, 'standby.tfvars.json');
    const planFile = path.join(scratch, request.destroy ? 'destroy.tfplan' : 'apply.tfplan');
    await writeFile(varFile, JSON.stringify(request.vars), { mode: 0o600 });
    const lock = `-lock-timeout=${request.lockTimeout ?? '5m'}`;

    await terraform.must([
      'init',
      '-input=false',
      '-no-color',
      '-reconfigure',
      ...backendConfigArgs(request.backend),
    ]);
    await terraform.must([
      'plan',
      '-input=false',
      '-no-color',
      '-lock=true',
      lock,
      ...(request.destroy ? ['-destroy'] : []),
      `-var-file=${varFile}`,
      `-out=${planFile}`,
    ]);
    const planSha256 = createHash('sha256')
      .update(await readFile(planFile))
      .digest('hex');
    if (request.planOnly) {
      const shown = await terraform.must(['show', '-json', '-no-color', planFile]);
      return {
        terraformVersion,
        planSha256,
        outputs: { values: {}, withheld: [] },
        changes: plannedChanges(shown.stdout),
      };
    }
    await terraform.must(['apply', '-input=false', '-no-color', '-lock=true', lock, planFile]);
    const output = await terraform.must(['output', '-json', '-no-color']);
    return { terraformVersion, planSha256, outputs: publicOutputs(output.stdout) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
