# The GitHub side: the environments the roles trust and the promotion gate, the protected branch they
# all deploy from, and the repository variables the workflows read (from the same Terraform variables the
# alarms use, so the two cannot disagree).

locals {
  # Environments a human must approve: the promotion gate, failback's (it rewrites production pointers)
  # and the teardown of a real-DR standby (teardown.yml's approval-gate).
  reviewed_environments = toset([var.promotion_environment, var.role_environments.failback, var.teardown_environment])
  # The phase environments: no reviewers (they would stop every phase), protected branches only.
  phase_environments = setsubtract(toset([var.role_environments.detect, var.role_environments.infra, var.role_environments.operate]), local.reviewed_environments)
}

resource "github_repository_environment" "phase" {
  for_each    = local.phase_environments
  repository  = var.github_repository
  environment = each.value

  # Only branches with a branch protection rule may run a job in this environment (and so reach the
  # role that trusts it). GitHub lets every branch deploy when no branch protection rule exists at all:
  # github_branch_protection.protected below is what makes this restrictive.
  deployment_branch_policy {
    protected_branches     = true
    custom_branch_policies = false
  }
}

# The promotion gate: deployments wait for a required reviewer, who cannot approve a run they started
# themselves (prevent_self_review), and admins cannot skip. So at least two people are needed: one starts
# the drill, another approves it.
resource "github_repository_environment" "reviewed" {
  for_each            = local.reviewed_environments
  repository          = var.github_repository
  environment         = each.value
  prevent_self_review = true
  can_admins_bypass   = false

  reviewers {
    users = var.promotion_reviewers.users
    teams = var.promotion_reviewers.teams
  }

  deployment_branch_policy {
    protected_branches     = true
    custom_branch_policies = false
  }
}

# The branch the workflows run from, protected: changes arrive through reviewed pull requests only.
resource "github_branch_protection" "protected" {
  #checkov:skip=CKV_GIT_5:approvals are branch_protection_required_reviews (default 1); the promotion gate already needs a second person
  #checkov:skip=CKV_GIT_6:signed commits need every contributor's signing key; reviews gate the branch and role trust pins its ref
  count         = var.manage_branch_protection ? 1 : 0
  repository_id = var.github_repository
  pattern       = var.protected_branch

  enforce_admins      = true
  allows_deletions    = false
  allows_force_pushes = false

  required_pull_request_reviews {
    required_approving_review_count = var.branch_protection_required_reviews
    dismiss_stale_reviews           = true
    require_last_push_approval      = var.branch_protection_required_reviews > 0
  }
}

# Repository variables the workflows read (docs/workflows.md, "Variables"). Written from the variables
# that also shape the alarms and the roles: the marker file and provider list check-health checks, the
# thresholds, the buckets and the role ARNs.
locals {
  base_repository_variables = {
    STANDBY_AWS_REGION              = var.region
    STANDBY_PRIMARY_REGION          = local.publish_region
    STANDBY_AWS_ACCOUNT_ID          = local.account
    STANDBY_ENABLE_TRIGGERS         = var.enable_triggers ? "true" : "false"
    STANDBY_ENABLE_SCHEDULED_DRILLS = var.enable_scheduled_drills ? "true" : "false"
    STANDBY_TEARDOWN_ENVIRONMENT    = var.teardown_environment
    STANDBY_MAX_FRESHNESS_HOURS     = tostring(var.max_freshness_hours)
    STANDBY_MAX_BACKUP_AGE_HOURS    = tostring(var.max_backup_age_hours)
    STANDBY_METRIC_NAMESPACE        = var.metric_namespace
    STANDBY_RECEIPT_BUCKET          = module.receipt_bucket.id
    STANDBY_RECEIPT_PREFIX          = var.receipt_prefix
    STANDBY_SNS_TOPIC_ARN           = aws_sns_topic.notifications.arn
    STANDBY_PROMOTION_ENVIRONMENT   = var.promotion_environment
    STANDBY_TF_STATE_BUCKET         = var.state_bucket
    STANDBY_TF_LOCK_TABLE           = var.lock_table
    STANDBY_TF_STATE_KMS_KEY_ID     = var.state_kms_key_arn
    STANDBY_ROLE_ARN_DETECT         = aws_iam_role.github["detect"].arn
    STANDBY_ROLE_ARN_INFRA          = aws_iam_role.github["infra"].arn
    STANDBY_ROLE_ARN_OPERATE        = aws_iam_role.github["operate"].arn
    STANDBY_ROLE_ARN_FAILBACK       = aws_iam_role.github["failback"].arn
    # Every target, as one JSON value (targets.tf): the workflows look a target up by name.
    STANDBY_TARGETS = jsonencode(local.standby_targets)
  }
  # The single-publisher form also keeps the variables it has always written, from its one target (so
  # workflows and tools that read them go on working); with `targets` they are not written.
  legacy_repository_variables = local.legacy_targets ? {
    STANDBY_PUBLISH_BUCKET       = local.standby_targets.targets["default"].publish_bucket
    STANDBY_PUBLISH_PREFIX       = local.standby_targets.targets["default"].publish_prefix
    STANDBY_PROVIDERS            = local.standby_targets.targets["default"].providers
    STANDBY_EXPECTED_MARKER_FILE = local.standby_targets.targets["default"].expected_marker_file
    STANDBY_METRIC_DIMENSIONS    = local.standby_targets.targets["default"].metric_dimensions
    STANDBY_BACKUP_URI           = local.standby_targets.targets["default"].backup_uri
  } : {}
  # restore-precheck's verify-key: set only with a signing key (backup-signing.tf), so without one the
  # workflows pass an empty verify-key and signatures are not checked.
  repository_variables = merge(local.base_repository_variables, local.legacy_repository_variables, local.backup_signing ? { STANDBY_BACKUP_VERIFY_KEY = aws_kms_key.backup_signing[0].arn } : {})
}

resource "github_actions_variable" "standby" {
  for_each      = var.manage_repository_variables ? tomap(local.repository_variables) : tomap({})
  repository    = var.github_repository
  variable_name = each.key
  value         = each.value
}
