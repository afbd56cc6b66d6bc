// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { PolicyJson } from './hcl-eval.js';
import { decide } from './iam-eval.js';
import { KNOWN, type Orchestrator, OWNER, orchestrator, REPO } from './orchestrator-fixture.js';

// The role trust policies, rendered from terraform/orchestrator/roles.tf with a sample deployment and
// matched against the claims GitHub puts in a job's OIDC token (docs/workflows.md lists the sources).

const HOST = 'token.actions.githubusercontent.com';
const PROVIDER = KNOWN['aws_iam_openid_connect_provider.github[0].arn'] as string;

interface Claims {
  sub: string;
  aud?: string;
  repository_id?: string;
  environment?: string;
  ref?: string;
  job_workflow_ref?: string;
}

/** A job of this repository on main in `environment`, as GitHub would mint its token. */
function claims(environment: string, form: 'legacy' | 'immutable', change: Partial<Claims> = {}): Claims {
  const repo =
    form === 'legacy' ? `${OWNER.login}/${REPO.name}` : `${OWNER.login}@${OWNER.id}/${REPO.name}@${REPO.id}`;
  return {
    sub: `repo:${repo}:environment:${environment}`,
    aud: 'sts.amazonaws.com',
    repository_id: REPO.id,
    environment,
    ref: 'refs/heads/main',
    job_workflow_ref: `${OWNER.login}/${REPO.name}/.github/workflows/dr-pipeline.yml@refs/heads/main`,
    ...change,
  };
}

function assume(trust: PolicyJson, token: Claims, provider = PROVIDER) {
  const context = Object.fromEntries(
    Object.entries(token).map(([claim, value]) => [`${HOST}:${claim}`, value]),
  );
  return decide([trust], {
    action: 'sts:AssumeRoleWithWebIdentity',
    principal: { type: 'Federated', id: provider },
    context,
  });
}

let o: Orchestrator;
beforeAll(async () => {
  o = await orchestrator();
});

const ROLES = [
  ['detect', 'standby-detect'],
  ['infra', 'standby-infra'],
  ['operate', 'standby-operate'],
  ['failback', 'dr-promotion'],
] as const;

describe('OIDC trust: which GitHub jobs may assume each role', () => {
  it.each(ROLES)('%s: a job in %s on the protected branch, with the legacy subject', (role, env) => {
    expect(assume(o.document('trust', role), claims(env, 'legacy'))).toBe('allow');
  });

  it.each(ROLES)(
    '%s: the same job with the immutable subject (repositories created after 2026-07-15)',
    (role, env) => {
      expect(assume(o.document('trust', role), claims(env, 'immutable'))).toBe('allow');
    },
  );

  it.each(ROLES)('%s: a directly called workflow file on main is accepted too', (role, env) => {
    const token = claims(env, 'immutable', {
      job_workflow_ref: `${OWNER.login}/${REPO.name}/.github/workflows/drill.yml@refs/heads/main`,
    });
    expect(assume(o.document('trust', role), token)).toBe('allow');
  });

  describe.each(ROLES)('%s refuses', (role, env) => {
    const refuse = (token: Claims) => expect(assume(o.document('trust', role), token)).toBe('implicit-deny');

    it('another repository (name and id), in either subject form', () => {
      refuse(
        claims(env, 'legacy', { sub: `repo:evil/${REPO.name}:environment:${env}`, repository_id: '111' }),
      );
      refuse(
        claims(env, 'immutable', {
          sub: `repo:evil@9/${REPO.name}@111:environment:${env}`,
          repository_id: '111',
        }),
      );
    });

    it('a repository that took over the name (same sub, another repository id)', () => {
      refuse(claims(env, 'legacy', { repository_id: '555' }));
    });

    it('another environment of this repository', () => {
      const other = env === 'standby-detect' ? 'standby-infra' : 'standby-detect';
      refuse(claims(other, 'legacy'));
      refuse(claims(other, 'immutable'));
      refuse({ ...claims(env, 'legacy'), environment: other }); // sub and environment claim must agree
    });

    it('an unprotected branch: the run ref, or the workflow file taken from it', () => {
      refuse(claims(env, 'immutable', { ref: 'refs/heads/feature' }));
      refuse(
        claims(env, 'immutable', {
          job_workflow_ref: `${OWNER.login}/${REPO.name}/.github/workflows/dr-pipeline.yml@refs/heads/feature`,
        }),
      );
      refuse(claims(env, 'legacy', { ref: 'refs/pull/7/merge' }));
      refuse(claims(env, 'legacy', { ref: 'refs/tags/main' }));
    });

    it("a workflow file from another repository's main", () => {
      refuse(
        claims(env, 'legacy', {
          job_workflow_ref: `evil/${REPO.name}/.github/workflows/x.yml@refs/heads/main`,
        }),
      );
    });

    it('a token for another audience, a token without the environment or ref claims, another provider', () => {
      refuse(claims(env, 'legacy', { aud: 'https://github.com/acme' }));
      const { environment: _e, ...noEnvironment } = claims(env, 'legacy');
      refuse(noEnvironment as Claims);
      const { ref: _r, ...noRef } = claims(env, 'legacy');
      refuse(noRef as Claims);
      expect(
        assume(o.document('trust', role), claims(env, 'legacy'), 'arn:aws:iam::999:oidc-provider/x'),
      ).toBe('implicit-deny');
    });
  });

  it('the protected branch is a variable: a deployment on "release" trusts only refs/heads/release', async () => {
    const release = await orchestrator({ protected_branch: 'release', alarm_workflow_ref: 'release' });
    const onRelease = claims('standby-infra', 'legacy', {
      ref: 'refs/heads/release',
      job_workflow_ref: `${OWNER.login}/${REPO.name}/.github/workflows/dr-pipeline.yml@refs/heads/release`,
    });
    expect(assume(release.document('trust', 'infra'), onRelease)).toBe('allow');
    expect(assume(release.document('trust', 'infra'), claims('standby-infra', 'legacy'))).toBe(
      'implicit-deny',
    );
  });

  it('every role trusts exactly one environment, and no two roles the same one', () => {
    const environments = ROLES.map(
      ([role]) => o.document('trust', role).Statement[0]?.Condition?.StringEquals?.[`${HOST}:environment`],
    );
    expect(environments).toEqual(ROLES.map(([, env]) => [env]));
  });
});
