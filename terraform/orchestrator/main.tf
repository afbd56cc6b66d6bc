data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  repo_full = "${var.github_owner}/${var.github_repository}"

  # The dimensions check-health publishes with: its default is Pipeline=<publish bucket>/<publish prefix>,
  # computed here from the same variables the repository variables STANDBY_PUBLISH_BUCKET/PREFIX get, so
  # the alarms watch exactly the series the freshness workflow writes (a mismatch reads as missing data,
  # and missing data breaches).
  # The single-publisher form only (targets.tf): with `targets` each target has its own dimensions.
  metric_dimensions = var.metric_dimensions != null ? var.metric_dimensions : { Pipeline = trimsuffix("${coalesce(var.publish_bucket, "-")}/${var.publish_prefix}", "/") }

  state_machine_name = "standby-dr-bridge"
  state_machine_arn  = "arn:${local.partition}:states:${var.region}:${local.account}:stateMachine:${local.state_machine_name}"
  # github.com only: GitHub Enterprise Server (and GHE.com) are not supported, since the roles trust
  # GitHub.com's OIDC issuer (roles.tf) and the workflows run on GitHub-hosted runners (docs/deploy.md).
  github_api_url = "https://api.github.com"
  dispatch_url   = "${local.github_api_url}/repos/${local.repo_full}/actions/workflows/${var.alarm_workflow_file}/dispatches"
}

# Notifications: alarm transitions and bridge failures. A customer-managed key, because CloudWatch
# alarms cannot publish to a topic encrypted with the AWS-managed SNS key.
resource "aws_kms_key" "notifications" {
  description             = "standby notification topic encryption"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersKeyThroughIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
      },
    ]
  })
}

resource "aws_kms_alias" "notifications" {
  name          = "alias/standby-notifications"
  target_key_id = aws_kms_key.notifications.key_id
}

resource "aws_sns_topic" "notifications" {
  name              = "standby-dr-notifications"
  kms_master_key_id = aws_kms_key.notifications.arn
}

# One set of alarms per target (targets.tf), each on its target's dimensions.
# missing data is breaching: a checker that stops reporting must look like an outage, not like health.
# N of N periods (alarm_evaluation_periods, default 2 with the hourly freshness schedule): one dropped or
# late scheduled run is one missing period and raises nothing; two in a row do.
# Alarm actions are always on: people are notified whether or not triggers are enabled. Only the
# dispatch to GitHub (the EventBridge rule in bridge.tf) is gated by enable_triggers.
resource "aws_cloudwatch_metric_alarm" "freshness" {
  for_each            = local.targets
  alarm_name          = "${local.alarm_names.freshness}${each.value.alarm_suffix}"
  alarm_description   = "Target ${each.key}: last successful publish is older than ${var.max_freshness_hours} h (or check-health stopped reporting)."
  namespace           = var.metric_namespace
  metric_name         = "PipelineFreshnessHours"
  dimensions          = each.value.metric_dimensions
  statistic           = "Maximum"
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  datapoints_to_alarm = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.max_freshness_hours
  treat_missing_data  = "breaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.notifications.arn]
  ok_actions          = [aws_sns_topic.notifications.arn]
}

resource "aws_cloudwatch_metric_alarm" "correctness" {
  for_each            = local.targets
  alarm_name          = "${local.alarm_names.correctness}${each.value.alarm_suffix}"
  alarm_description   = "Target ${each.key}: at least one of ${join(", ", each.value.providers)} is not published consistently (marker ${each.value.expected_marker_file} missing, pointer behind), or check-health stopped reporting."
  namespace           = var.metric_namespace
  metric_name         = "PublishCorrectness"
  dimensions          = each.value.metric_dimensions
  statistic           = "Maximum"
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  datapoints_to_alarm = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.notifications.arn]
  ok_actions          = [aws_sns_topic.notifications.arn]
}

# RPO watch: the age of the newest complete backup, published by the freshness schedule as BackupAgeHours
# in the same namespace and with the same dimensions as the health metrics. It notifies; it never starts
# DR (a stale backup is a reason to fix the backup job, not to fail over), so the EventBridge rule does
# not list it.
resource "aws_cloudwatch_metric_alarm" "backup_age" {
  for_each            = local.targets
  alarm_name          = "${local.alarm_names.backup_age}${each.value.alarm_suffix}"
  alarm_description   = "Target ${each.key}: newest complete backup is older than ${var.max_backup_age_hours} h (RPO), or no backup age was reported."
  namespace           = var.metric_namespace
  metric_name         = "BackupAgeHours"
  dimensions          = each.value.metric_dimensions
  statistic           = "Maximum"
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  datapoints_to_alarm = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.max_backup_age_hours
  treat_missing_data  = "breaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.notifications.arn]
  ok_actions          = [aws_sns_topic.notifications.arn]
}

# Drill watch: the age of the newest verified drill (evidence check passes, GitHub confirms its drill.yml
# run), published hourly by freshness.yml's drill-age job as DrillAgeHours in the same namespace and
# dimensions. No verified drill ever means no datapoint: missing data is breaching, so "never drilled" and
# "the drill-age job stopped reporting" alarm like "drilled too long ago" (a sentinel value would hide the
# second). It notifies; it never starts DR, so the EventBridge rule does not list it, and it is not among
# alarm_names (no DR run is started by it, so no run's evidence needs its history).
resource "aws_cloudwatch_metric_alarm" "drill_age" {
  for_each            = local.targets
  alarm_name          = "${local.alarm_names.drill_age}${each.value.alarm_suffix}"
  alarm_description   = "Target ${each.key}: no verified drill in the last ${var.max_drill_age_days} days (or none ever, or the drill-age job stopped reporting): run a drill (drill.yml)."
  namespace           = var.metric_namespace
  metric_name         = "DrillAgeHours"
  dimensions          = each.value.metric_dimensions
  statistic           = "Maximum"
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  datapoints_to_alarm = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.max_drill_age_days * 24
  treat_missing_data  = "breaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.notifications.arn]
  ok_actions          = [aws_sns_topic.notifications.arn]
}
