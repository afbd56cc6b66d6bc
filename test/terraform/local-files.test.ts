import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadModule } from '../helpers/terraform-modules.js';

// Terraform's local files hold secrets (state and saved plans carry the dispatch token) and must never be
// committed; and no documented or automated step saves a plan that holds the token (issue 20.10).

/** Whether git would ignore `file` (a path that need not exist), by the repository's .gitignore. */
function ignored(file: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '--quiet', '--no-index', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('.gitignore covers Terraform local files', () => {
  it.each([
    'terraform/bootstrap/terraform.tfstate',
    'terraform/bootstrap/terraform.tfstate.backup',
    'terraform/bootstrap/terraform.tfstate.1733200000.backup',
    'terraform/orchestrator/orchestrator.tfplan',
    'terraform/orchestrator/.terraform/terraform.tfstate',
    'terraform/orchestrator/.terraform/providers/registry.terraform.io/hashicorp/aws/6.25.0/x/terraform-provider-aws',
    'terraform/orchestrator/secrets.auto.tfvars',
    'terraform/orchestrator/orchestrator.auto.tfvars.json',
    'terraform/orchestrator/crash.log',
    'terraform/orchestrator/crash.1733200000.log',
  ])('ignores %s', (file) => {
    expect(ignored(file)).toBe(true);
  });

  it.each([
    'terraform/orchestrator/.terraform.lock.hcl',
    'terraform/orchestrator/main.tf',
    'terraform/versions.json',
  ])('still tracks %s', (file) => {
    expect(ignored(file)).toBe(false);
  });
});

describe('the dispatch token never lands in a saved plan', () => {
  it('the token variable is sensitive (hidden in plan output and logs)', async () => {
    const orchestrator = await loadModule('orchestrator');
    expect(orchestrator.variables.github_dispatch_token?.sensitive).toBe(true);
  });

  it('the runner module, the one a workflow saves a plan of (bringup: plan -out), has no sensitive variable', async () => {
    const runner = await loadModule('runner');
    const sensitive = Object.entries(runner.variables).filter(([, v]) => v.sensitive === true);
    expect(sensitive.map(([name]) => name)).toEqual([]);
    expect(Object.keys(runner.variables)).not.toContain('github_dispatch_token');
  });

  it('no doc tells anyone to save a plan of the orchestrator (a plan file keeps every variable value)', () => {
    const docs = [
      ...readdirSync('docs')
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join('docs', f)),
      'README.md',
      ...['bootstrap', 'orchestrator', 'runner'].map((m) => path.join('terraform', m, 'README.md')),
    ];
    const offending: string[] = [];
    for (const file of docs) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const savesPlan = /terraform\b.*\bplan\b.*-out\b/.test(line);
        if (savesPlan && /github_dispatch_token|orchestrator/.test(line)) offending.push(`${file}:${i + 1}`);
        if (savesPlan && !/runner|bringup/.test(line)) offending.push(`${file}:${i + 1}`);
      });
    }
    expect(offending).toEqual([]);
  });
});
