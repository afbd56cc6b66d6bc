output "triggers_enabled" {
  description = "Whether alarms can start DR (the EventBridge rule is enabled); the alarms notify SNS either way."
  value       = var.enable_triggers
}

output "notification_topic_arn" {
  description = "SNS topic for alarm transitions and bridge failures (notify/failure input topic-arn)."
  value       = aws_sns_topic.notifications.arn
}

output "state_machine_arn" {
  description = "The alarm-to-GitHub bridge."
  value       = aws_sfn_state_machine.bridge.arn
}

output "event_rule_name" {
  description = "EventBridge rule that starts the bridge (DISABLED unless enable_triggers)."
  value       = aws_cloudwatch_event_rule.alarm.name
}

output "alarm_names" {
  description = "CloudWatch alarms on the health metrics, every target's (evidence collect reads their history)."
  value       = concat([for alarm in aws_cloudwatch_metric_alarm.freshness : alarm.alarm_name], [for alarm in aws_cloudwatch_metric_alarm.correctness : alarm.alarm_name], [for alarm in aws_cloudwatch_metric_alarm.backup_age : alarm.alarm_name])
}

output "role_arns" {
  description = "Role per concern, for aws-actions/configure-aws-credentials role-to-assume: detect, infra, operate, failback."
  value       = { for concern, role in aws_iam_role.github : concern => role.arn }
}

output "oidc_provider_arn" {
  description = "GitHub OIDC provider the roles trust."
  value       = local.oidc_provider_arn
}

output "promotion_environment" {
  description = "Protected environment gating promotion (request-approval/promote input environment)."
  value       = github_repository_environment.reviewed[var.promotion_environment].environment
}

output "environments" {
  description = "GitHub environments this module manages: the phase environments and the reviewed ones."
  value = {
    phase    = sort([for env in github_repository_environment.phase : env.environment])
    reviewed = sort([for env in github_repository_environment.reviewed : env.environment])
  }
}

output "runner_instance_profile_name" {
  description = "Instance profile for the runner module (its instance_profile_name variable)."
  value       = aws_iam_instance_profile.runner.name
}

output "runner_role_arn" {
  description = "The runner's role: SSM agent, read backups, pull from the listed ECR repositories."
  value       = aws_iam_role.runner.arn
}

output "receipt_bucket" {
  description = "Receipt bucket (STANDBY_RECEIPT_BUCKET): versioned, SSE-KMS, Object Lock, conditional writes only."
  value       = module.receipt_bucket.id
}

output "receipt_kms_key_arn" {
  description = "KMS key of the receipt bucket (readers of receipts outside the roles need kms:Decrypt on it)."
  value       = aws_kms_key.receipts.arn
}

output "repository_variables" {
  description = "The STANDBY_* repository variables (written to GitHub when manage_repository_variables is true)."
  value       = local.repository_variables
}

output "backup_signing_key_arn" {
  description = "The backup signing key (backup_signer_role_arns non-empty), else null: `standby backup --signing-key` on the primary, restore-precheck's verify-key (STANDBY_BACKUP_VERIFY_KEY)."
  value       = local.backup_signing ? aws_kms_key.backup_signing[0].arn : null
}

output "targets" {
  description = "The targets this deployment protects (STANDBY_TARGETS): names, and per target its kind, publisher, backups URI, namespace, state claim, metric dimensions and alarm names."
  value       = local.standby_targets
}

output "eks_node_role_arn" {
  description = "Node role of the EKS target's per-execution node groups (the runner module's eks_node_role_arn); empty without eks_cluster_name."
  value       = local.eks == 1 ? aws_iam_role.eks_node[0].arn : ""
}
