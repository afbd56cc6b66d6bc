// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { resource } from '../helpers/terraform-modules.js';
import { evaluate, validationErrors } from './hcl-eval.js';
import { type Orchestrator, orchestrator, STATE_KEY_ARN } from './orchestrator-fixture.js';

// The GitHub side managed by terraform/orchestrator/github.tf (integrations/github): environments,
// the protected branch, and the repository variables the workflows read.

let o: Orchestrator;
beforeAll(async () => {
  o = await orchestrator();
});

describe('environments', () => {
  it('creates standby-detect, standby-infra and standby-operate, deployable from protected branches only', () => {
    expect(o.value('${local.phase_environments}')).toEqual([
      'standby-detect',
      'standby-infra',
      'standby-operate',
    ]);
    const phase = resource(o.module, 'github_repository_environment', 'phase');
    expect(phase.for_each).toBe('${local.phase_environments}');
    expect(phase.deployment_branch_policy).toEqual([
      { protected_branches: true, custom_branch_policies: false },
    ]);
    expect(phase.reviewers).toBeUndefined(); // reviewers would stop every phase
  });

  it('the promotion gate: required reviewers, no self-review, no admin bypass, protected branches only', () => {
    expect(o.value('${local.reviewed_environments}')).toEqual(['dr-promotion', 'standby-teardown']);
    const gate = resource(o.module, 'github_repository_environment', 'reviewed');
    expect(gate).toMatchObject({ prevent_self_review: true, can_admins_bypass: false });
    expect(gate.reviewers).toEqual([
      { users: '${var.promotion_reviewers.users}', teams: '${var.promotion_reviewers.teams}' },
    ]);
    expect(gate.deployment_branch_policy).toEqual([
      { protected_branches: true, custom_branch_policies: false },
    ]);
  });

  it("failback's environment always gets reviewers, even when it is not the promotion environment", async () => {
    const separate = await orchestrator({
      role_environments: {
        detect: 'standby-detect',
        infra: 'standby-infra',
        operate: 'standby-operate',
        failback: 'standby-failback',
      },
    });
    expect(separate.value('${local.reviewed_environments}')).toEqual([
      'dr-promotion',
      'standby-failback',
      'standby-teardown',
    ]);
    expect(separate.value('${local.phase_environments}')).not.toContain('standby-failback');
  });

  it('the teardown gate of a real-DR standby (issue 20.3): reviewed like promotion, never a phase environment', async () => {
    // In the reviewed set: required reviewers, prevent_self_review, no admin bypass (the resource above).
    expect(o.value('${local.reviewed_environments}')).toContain('standby-teardown');
    expect(o.value('${local.phase_environments}')).not.toContain('standby-teardown');
    const renamed = await orchestrator({ teardown_environment: 'dr-teardown' });
    expect(renamed.value('${local.reviewed_environments}')).toContain('dr-teardown');
    const errors = (name: string) => validationErrors(o.module, 'teardown_environment', name, o.scope.vars);
    expect(errors('standby-teardown')).toEqual([]);
    expect(errors('standby-infra')).toEqual([
      'teardown_environment must not be a phase environment (detect, infra, operate): those have no reviewers.',
    ]);
    expect(errors('tear/down')).toEqual([
      'teardown_environment must be an environment name of A-Z a-z 0-9 . _ -.',
    ]);
  });

  it('needs 1 to 6 reviewers (GitHub allows 6); docs say two people are needed', () => {
    const errors = (users: number[]) =>
      validationErrors(o.module, 'promotion_reviewers', { users, teams: [] }, o.scope.vars);
    expect(errors([1])).toEqual([]);
    expect(errors([])).toHaveLength(1);
    expect(errors([1, 2, 3, 4, 5, 6, 7])).toHaveLength(1);
    const workflows = readFileSync(path.resolve('docs/workflows.md'), 'utf8');
    expect(workflows).toMatch(/at least two people/i);
  });
});

describe('the protected branch', () => {
  it('is protected by Terraform (GitHub lets every branch deploy when no branch protection rule exists)', () => {
    const rule = resource(o.module, 'github_branch_protection', 'protected');
    expect(rule).toMatchObject({
      count: '${var.manage_branch_protection ? 1 : 0}',
      pattern: '${var.protected_branch}',
      enforce_admins: true,
      allows_force_pushes: false,
      allows_deletions: false,
    });
    expect(o.scope.vars.manage_branch_protection).toBe(true);
    expect(rule.required_pull_request_reviews[0].required_approving_review_count).toBe(
      '${var.branch_protection_required_reviews}',
    );
  });

  it('refuses a wildcard or path-like branch name', () => {
    for (const bad of ['main*', 'feature/../main', '/main', ''])
      expect([bad, validationErrors(o.module, 'protected_branch', bad, o.scope.vars).length]).toEqual([
        bad,
        1,
      ]);
    expect(validationErrors(o.module, 'protected_branch', 'release/2026', o.scope.vars)).toEqual([]);
  });

  it('the bridge must dispatch on the protected branch (a precondition on the state machine)', () => {
    const machine = resource(o.module, 'aws_sfn_state_machine', 'bridge');
    const precondition = machine.lifecycle[0].precondition[0];
    expect(evaluate(precondition.condition, o.scope)).toBe(true);
    const elsewhere = { ...o.scope, vars: { ...o.scope.vars, alarm_workflow_ref: 'develop' } };
    expect(evaluate(precondition.condition, elsewhere)).toBe(false);
  });
});

describe('repository variables (the workflows read them; the alarms use the same Terraform variables)', () => {
  const variables = () => o.value('${local.repository_variables}') as Record<string, string>;

  it('carry the marker file, providers and thresholds check-health needs', () => {
    expect(variables()).toMatchObject({
      STANDBY_EXPECTED_MARKER_FILE: 'openai_top.cs.md',
      STANDBY_PROVIDERS: 'openai/top,acme/daily',
      STANDBY_PUBLISH_BUCKET: 'acme-publish',
      STANDBY_PUBLISH_PREFIX: 'batch',
      STANDBY_MAX_FRESHNESS_HOURS: '26',
      STANDBY_MAX_BACKUP_AGE_HOURS: '26',
      STANDBY_METRIC_NAMESPACE: 'Standby/Pipeline',
      STANDBY_METRIC_DIMENSIONS: 'Pipeline=acme-publish/batch',
      STANDBY_ENABLE_TRIGGERS: 'false',
      // Scheduled drills are off until someone turns them on after a verified drill (issue 23.1).
      STANDBY_ENABLE_SCHEDULED_DRILLS: 'false',
    });
  });

  it('carry the regions, state settings (with the state KMS key) and receipts', () => {
    expect(variables()).toMatchObject({
      STANDBY_AWS_REGION: 'eu-west-1',
      STANDBY_PRIMARY_REGION: 'us-east-1',
      STANDBY_AWS_ACCOUNT_ID: '111122223333',
      STANDBY_TF_STATE_BUCKET: 'acme-standby-tfstate',
      STANDBY_TF_LOCK_TABLE: 'standby-terraform-locks',
      STANDBY_TF_STATE_KMS_KEY_ID: STATE_KEY_ARN,
      STANDBY_RECEIPT_BUCKET: 'acme-standby-receipts',
      STANDBY_RECEIPT_PREFIX: 'standby/receipts',
      STANDBY_BACKUP_URI: 's3://acme-backups-dr/prod/backups/',
      STANDBY_PROMOTION_ENVIRONMENT: 'dr-promotion',
      STANDBY_TEARDOWN_ENVIRONMENT: 'standby-teardown',
    });
  });

  it('are all strings and written by one github_actions_variable each (unless switched off)', () => {
    for (const [name, value] of Object.entries(variables())) {
      expect(name).toMatch(/^STANDBY_[A-Z0-9_]+$/);
      expect(typeof value).toBe('string');
    }
    const variable = resource(o.module, 'github_actions_variable', 'standby');
    expect(variable).toMatchObject({ variable_name: '${each.key}', value: '${each.value}' });
    expect(variable.for_each).toBe(
      '${var.manage_repository_variables ? tomap(local.repository_variables) : tomap({})}',
    );
  });

  it('every variable Terraform writes is documented in docs/terraform.md', () => {
    const docs = readFileSync(path.resolve('docs/terraform.md'), 'utf8');
    const missing = Object.keys(variables()).filter((name) => !docs.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
