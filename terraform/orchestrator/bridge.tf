# The thin bridge (SPEC: Step Functions bridge): alarm -> EventBridge rule -> state machine -> HTTP
# task that dispatches the DR workflow on GitHub. No business logic lives here.

resource "aws_cloudwatch_event_rule" "alarm" {
  name        = "standby-alarm-to-dr"
  description = "A standby health alarm entered ALARM: start the DR bridge."
  state       = var.enable_triggers ? "ENABLED" : "DISABLED"

  event_pattern = jsonencode({
    source        = ["aws.cloudwatch"]
    "detail-type" = ["CloudWatch Alarm State Change"]
    resources = [
      aws_cloudwatch_metric_alarm.freshness.arn,
      aws_cloudwatch_metric_alarm.correctness.arn,
    ]
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
