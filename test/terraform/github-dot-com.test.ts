// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings here
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// GitHub Enterprise Server is not supported (issue 20.11): the OIDC issuer the roles trust is GitHub.com's,
// so the module must not offer another API URL, and the docs must say so instead of offering it.
describe('github.com only', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });

  it('no variable offers another GitHub API URL or OIDC issuer', () => {
    const names = Object.keys(o.module.variables);
    expect(names.filter((n) => /api_url|issuer|oidc_host|github_host/.test(n))).toEqual([]);
  });

  it('the bridge dispatches to api.github.com and the roles trust token.actions.githubusercontent.com', () => {
    expect(o.value('${local.dispatch_url}')).toBe(
      'https://api.github.com/repos/acme/standby/actions/workflows/alarm.yml/dispatches',
    );
    expect(o.value('${local.oidc_host}')).toBe('token.actions.githubusercontent.com');
    expect(o.module.providers.github?.base_url).toBe('${local.github_api_url}/');
  });

  it('the docs say plainly that GitHub Enterprise Server is not supported, and offer it nowhere', () => {
    const deploy = readFileSync('docs/deploy.md', 'utf8');
    expect(deploy).toMatch(/GitHub Enterprise Server and GHE\.com[^.]*are not supported/);
    for (const file of ['docs/deploy.md', 'docs/workflows.md', 'docs/terraform.md', 'docs/approval.md']) {
      const text = readFileSync(file, 'utf8');
      expect([file, /Enterprise \(?Cloud or Server\)?|api\/v3/.test(text)]).toEqual([file, false]);
    }
  });
});
