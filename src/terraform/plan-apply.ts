import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertRemoteBackend, type BackendSettings, backendConfigArgs } from './backend.js';
import type { TerraformCli } from './cli.js';
import { type PublicOutputs, publicOutputs } from './outputs.js';
import type { TerraformVars } from './variables.js';

export interface PlanApplyRequest {
  workingDirectory: string;
  backend: BackendSettings;
  vars: TerraformVars;
  /** Plan a destroy instead of a create/update. */
  destroy?: boolean;
  lockTimeout?: string;
}

export interface PlanApplyResult {
  planSha256: string;
  outputs: PublicOutputs;
}

/**
 * init against the given backend, `plan -out`, hash the saved plan (the receipt names exactly what was
 * applied), apply that plan file and nothing else, then read the outputs. The var file and the plan
 * (which can hold secrets) live in a private temporary directory that is always removed.
 */
export async function planAndApply(
  terraform: TerraformCli,
  request: PlanApplyRequest,
): Promise<PlanApplyResult> {
  assertRemoteBackend(request.workingDirectory);
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
    await terraform.must(['apply', '-input=false', '-no-color', '-lock=true', lock, planFile]);
    const output = await terraform.must(['output', '-json', '-no-color']);
    return { planSha256, outputs: publicOutputs(output.stdout) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
