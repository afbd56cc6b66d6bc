output "triggers_enabled" {
  description = "Whether alarms can start DR (the EventBridge rule and alarm actions are on)."
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
  description = "CloudWatch alarms on the health metrics (evidence collect reads their history)."
  value       = [aws_cloudwatch_metric_alarm.freshness.alarm_name, aws_cloudwatch_metric_alarm.correctness.alarm_name]
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
  value       = github_repository_environment.promotion.environment
}
