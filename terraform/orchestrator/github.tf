# The promotion gate: a protected environment whose deployments wait for a required reviewer, who
# cannot approve a run they started themselves, and admins cannot skip.
resource "github_repository_environment" "promotion" {
  repository          = var.github_repository
  environment         = var.promotion_environment
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
