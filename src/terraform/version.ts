import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TerraformCli } from './cli.js';

/** terraform/versions.json, the one place the Terraform version is pinned (next to the root modules). */
export function pinnedTerraformVersion(workingDirectory: string): string | undefined {
  const file = path.join(workingDirectory, '..', 'versions.json');
  if (!existsSync(file)) return undefined;
  const pins = JSON.parse(readFileSync(file, 'utf8')) as { terraform?: unknown };
  return typeof pins.terraform === 'string' ? pins.terraform : undefined;
}

/**
 * The version of the terraform on PATH, refused when it is not the pinned one: state written by one
 * version may not be readable by an older one, and the receipt should name what really ran.
 */
export async function checkTerraformVersion(
  terraform: TerraformCli,
  workingDirectory: string,
): Promise<string> {
  const { stdout } = await terraform.must(['version', '-json']);
  let running: string | undefined;
  try {
    running = (JSON.parse(stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    running = undefined;
  }
  if (!running)
    throw new Error(
      'terraform version -json did not report terraform_version; is the terraform on PATH Terraform?',
    );
  const pinned = pinnedTerraformVersion(workingDirectory);
  if (pinned && running !== pinned) {
    throw new Error(
      `terraform ${running} is on PATH but terraform/versions.json pins ${pinned}; install the pinned version (setup-terraform with terraform_version from versions.json)`,
    );
  }
  return running;
}
