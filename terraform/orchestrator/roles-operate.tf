# operate: Run Command on standby-tagged runners only (send, cancel, read results), extend a runner's
# expiry tag and nothing else of its tags, notify, read alarm history (evidence). It reads no backup:
# restore-precheck runs in the infra job (before bringup) and the runner reads the backup with its own role.

locals {
  # Runner names are standby-<execution id, normalised> (bringup); Purpose/ManagedBy are the shared tags.
  ssm_runner_tags = {
    "ssm:resourceTag/Purpose"   = ["standby-dr"]
    "ssm:resourceTag/ManagedBy" = ["standby"]
  }
}

data "aws_iam_policy_document" "operate" {
  statement {
    sid       = "SendCommandToTaggedRunner"
    actions   = ["ssm:SendCommand"]
    resources = ["${local.ec2_arn}:instance/*"]
    dynamic "condition" {
      for_each = local.ssm_runner_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = condition.value
      }
    }
    condition {
      test     = "StringLike"
      variable = "ssm:resourceTag/Name"
      values   = ["standby-*"]
    }
  }
  statement {
    sid       = "SendCommandDocument"
    actions   = ["ssm:SendCommand"]
    resources = ["arn:${local.partition}:ssm:${var.region}::document/AWS-RunShellScript"]
  }
  statement {
    # CancelCommand has no resource-level permissions or condition keys of its own (Service Authorization
    # Reference, resource type empty): "*" is the only resource AWS accepts. A command id can only come
    # from SendCommand above, and the region is pinned.
    sid       = "CancelOwnCommands"
    actions   = ["ssm:CancelCommand"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [var.region]
    }
  }
  statement {
    sid = "ReadCommandResults"
    actions = [
      "ssm:GetCommandInvocation",
      "ssm:ListCommandInvocations",
      "ssm:ListCommands",
      "ssm:DescribeInstanceInformation",
      "ec2:DescribeInstances",
    ]
    resources = ["*"]
  }
  statement {
    # resolve-runner, restore and validate push a runner's expiry out while they use it. Only the
    # standby-expires-at key, only on standby-tagged instances: no other tag (Purpose, standby-kind, ...)
    # can be changed or added, so the role cannot adopt another instance or hide a runner from the sweeper.
    sid       = "ExtendRunnerExpiry"
    actions   = ["ec2:CreateTags"]
    resources = ["${local.ec2_arn}:instance/*"]
    dynamic "condition" {
      for_each = local.runner_resource_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["standby-expires-at"]
    }
    condition {
      test     = "Null"
      variable = "aws:TagKeys"
      values   = ["false"]
    }
  }

  statement {
    # A real-DR activation makes the runner the serving standby (src/aws/serving.ts): only the key
    # standby-serving, only the value "true", only on standby-tagged instances. The role can mark a
    # standby serving, never un-mark one (that would let the sweeper destroy it).
    sid       = "MarkServingStandby"
    actions   = ["ec2:CreateTags"]
    resources = ["${local.ec2_arn}:instance/*"]
    dynamic "condition" {
      for_each = local.runner_resource_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["standby-serving"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/standby-serving"
      values   = ["true"]
    }
  }

  statement {
    # ...and removes its expiry. Only the standby-expires-at key: DeleteTags without keys would delete
    # every tag (EC2 API reference, DeleteTags), which the Null condition refuses.
    sid       = "RemoveServingExpiry"
    actions   = ["ec2:DeleteTags"]
    resources = ["${local.ec2_arn}:instance/*"]
    dynamic "condition" {
      for_each = local.runner_resource_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["standby-expires-at"]
    }
    condition {
      test     = "Null"
      variable = "aws:TagKeys"
      values   = ["false"]
    }
  }
  statement {
    sid       = "Notify"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]
  }
  statement {
    sid       = "EncryptNotifications"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = [aws_kms_key.notifications.arn]
  }
  statement {
    sid     = "ReadAlarmHistory"
    actions = ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms"]
    resources = [
      aws_cloudwatch_metric_alarm.freshness.arn,
      aws_cloudwatch_metric_alarm.correctness.arn,
      aws_cloudwatch_metric_alarm.backup_age.arn,
    ]
  }
}

resource "aws_iam_role_policy" "operate" {
  name   = "operate"
  role   = aws_iam_role.github["operate"].id
  policy = data.aws_iam_policy_document.operate.json
}
