# The thin bridge (SPEC: Step Functions bridge): alarm -> EventBridge rule -> state machine -> HTTP
# task that dispatches the DR workflow on GitHub. No business logic lives here.

# Every target's freshness and correctness alarms start the bridge; alarm.yml reads the target from the
# alarm's name (targets.tf, alarm_suffix).
resource "aws_cloudwatch_event_rule" "alarm" {
  name        = "standby-alarm-to-dr"
  description = "A standby health alarm entered ALARM: start the DR bridge."
  state       = var.enable_triggers ? "ENABLED" : "DISABLED"

  event_pattern = jsonencode({
    source        = ["aws.cloudwatch"]
    "detail-type" = ["CloudWatch Alarm State Change"]
    resources = concat(
      [for alarm in aws_cloudwatch_metric_alarm.freshness : alarm.arn],
      [for alarm in aws_cloudwatch_metric_alarm.correctness : alarm.arn],
    )
    detail = { state = { value = ["ALARM"] } }
  })
}

data "aws_iam_policy_document" "events_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "events" {
  name               = "standby-bridge-events"
  path               = "/standby/"
  assume_role_policy = data.aws_iam_policy_document.events_assume.json
}

data "aws_iam_policy_document" "events_start" {
  statement {
    actions   = ["states:StartExecution"]
    resources = [local.state_machine_arn]
  }
}

resource "aws_iam_role_policy" "events_start" {
  name   = "start-bridge"
  role   = aws_iam_role.events.id
  policy = data.aws_iam_policy_document.events_start.json
}

resource "aws_cloudwatch_event_target" "bridge" {
  rule     = aws_cloudwatch_event_rule.alarm.name
  arn      = aws_sfn_state_machine.bridge.arn
  role_arn = aws_iam_role.events.arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }
}

# The token lives in the connection (EventBridge keeps it in Secrets Manager); the state machine only
# names the connection. The HTTP task cannot set Authorization itself.
resource "aws_cloudwatch_event_connection" "github" {
  name               = "standby-github-dispatch"
  description        = "GitHub token for workflow_dispatch (Actions: write on ${local.repo_full})"
  authorization_type = "API_KEY"

  auth_parameters {
    api_key {
      key   = "Authorization"
      value = "Bearer ${var.github_dispatch_token}"
    }
  }
}

data "aws_iam_policy_document" "sfn_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "bridge" {
  name               = "standby-bridge-state-machine"
  path               = "/standby/"
  assume_role_policy = data.aws_iam_policy_document.sfn_assume.json
}

data "aws_iam_policy_document" "bridge" {
  statement {
    sid       = "DispatchOnlyTheDrWorkflow"
    actions   = ["states:InvokeHTTPEndpoint"]
    resources = [local.state_machine_arn]
    condition {
      test     = "StringEquals"
      variable = "states:HTTPMethod"
      values   = ["POST"]
    }
    condition {
      test     = "StringEquals"
      variable = "states:HTTPEndpoint"
      values   = [local.dispatch_url]
    }
  }

  statement {
    sid       = "UseTheConnection"
    actions   = ["events:RetrieveConnectionCredentials"]
    resources = [aws_cloudwatch_event_connection.github.arn]
  }

  statement {
    sid       = "ReadTheConnectionSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_cloudwatch_event_connection.github.secret_arn]
  }

  statement {
    sid       = "NotifyFailures"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]
  }

  statement {
    sid       = "EncryptNotifications"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = [aws_kms_key.notifications.arn]
  }
}

resource "aws_iam_role_policy" "bridge" {
  name   = "bridge"
  role   = aws_iam_role.bridge.id
  policy = data.aws_iam_policy_document.bridge.json
}

resource "aws_sfn_state_machine" "bridge" {
  #checkov:skip=CKV_AWS_284:X-Ray tracing needs xray:Put* on "*", which the no-wildcard-on-mutating-actions rule forbids; execution history covers this two-step machine
  #checkov:skip=CKV_AWS_285:log delivery needs logs:*LogDelivery on "*" (same rule); failures are published to SNS and kept in execution history
  name     = local.state_machine_name
  type     = "STANDARD"
  role_arn = aws_iam_role.bridge.arn

  definition = templatefile("${path.module}/state-machine.asl.json", {
    dispatch_url   = local.dispatch_url
    connection_arn = aws_cloudwatch_event_connection.github.arn
    workflow_ref   = var.alarm_workflow_ref
    topic_arn      = aws_sns_topic.notifications.arn
  })

  lifecycle {
    precondition {
      condition     = var.alarm_workflow_ref == var.protected_branch
      error_message = "alarm_workflow_ref must be the protected branch (${var.protected_branch}): the roles only trust runs of refs/heads/${var.protected_branch}, so an alarm run on another ref could not reach AWS."
    }
  }
}

# A failed bridge execution (GitHub refused the dispatch: an expired or revoked token, a 422, retries
# exhausted) publishes one SNS message and leaves the health alarm in ALARM, so nothing would ever retry.
# This alarm makes the failure a state someone sees: AWS/States ExecutionsFailed for this state machine.
resource "aws_cloudwatch_metric_alarm" "bridge_failed" {
  alarm_name          = "standby-bridge-failed"
  alarm_description   = "The DR bridge state machine failed an execution: GitHub did not accept the workflow dispatch (check the dispatch token). The SNS message dispatch_failed has the error."
  namespace           = "AWS/States"
  metric_name         = "ExecutionsFailed"
  dimensions          = { StateMachineArn = aws_sfn_state_machine.bridge.arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  # No executions publish no datapoint: quiet is healthy here, unlike the health metrics.
  treat_missing_data = "notBreaching"
  actions_enabled    = true
  alarm_actions      = [aws_sns_topic.notifications.arn]
  ok_actions         = [aws_sns_topic.notifications.arn]
}

# The monthly smoke test: EventBridge Scheduler starts the real state machine with a test event, which
# dispatches the real workflow through the real connection with dry-run=true (alarm.yml then records the
# dispatch and starts nothing). An expired or revoked token fails that execution, which raises
# standby-bridge-failed above: found on a quiet day, not in an incident. It runs whether or not triggers
# are enabled (a token must work before they are turned on).
data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "smoke_test" {
  name               = "standby-bridge-smoke-test"
  path               = "/standby/"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "smoke_test_start" {
  statement {
    actions   = ["states:StartExecution"]
    resources = [local.state_machine_arn]
  }
}

resource "aws_iam_role_policy" "smoke_test_start" {
  name   = "start-bridge"
  role   = aws_iam_role.smoke_test.id
  policy = data.aws_iam_policy_document.smoke_test_start.json
}

resource "aws_scheduler_schedule" "bridge_smoke_test" {
  #checkov:skip=CKV_AWS_297:the schedule's input is a fixed test marker with no secret; a CMK would add a key policy for nothing
  name                         = "standby-bridge-smoke-test"
  description                  = "Monthly: dispatch the DR workflow through the bridge as a dry run, so an expired dispatch token is found before an incident."
  schedule_expression          = var.bridge_smoke_test_schedule
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sfn_state_machine.bridge.arn
    role_arn = aws_iam_role.smoke_test.arn
    # The key the state machine's IsSmokeTest looks for; Scheduler fills in the scheduled time.
    input = jsonencode({
      standby_bridge_smoke_test = { scheduled_at = "<aws.scheduler.scheduled-time>" }
    })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 3
    }
  }
}
