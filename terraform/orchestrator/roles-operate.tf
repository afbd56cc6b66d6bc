# operate: Run Command on the tagged runner only, read backups, notify, read alarm history (evidence).

data "aws_iam_policy_document" "operate" {
  statement {
    sid       = "SendCommandToTaggedRunner"
    actions   = ["ssm:SendCommand"]
    resources = ["${local.ec2_arn}:instance/*"]
    condition {
      test     = "StringEquals"
      variable = "ssm:resourceTag/Purpose"
      values   = ["standby-dr"]
    }
    condition {
      test     = "StringEquals"
      variable = "ssm:resourceTag/ManagedBy"
      values   = ["standby"]
    }
    condition {
      test     = "StringEquals"
      variable = "ssm:resourceTag/Name"
      values   = [var.runner_name]
    }
  }
  statement {
    sid       = "SendCommandDocument"
    actions   = ["ssm:SendCommand"]
    resources = ["arn:${local.partition}:ssm:${var.region}::document/AWS-RunShellScript"]
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
    sid     = "ReadBackups"
    actions = ["s3:GetObject", "s3:GetObjectAttributes"]
    resources = [
      "arn:${local.partition}:s3:::${var.backup_bucket}/${local.backup_root}backups/*",
      "arn:${local.partition}:s3:::${var.backup_bucket}/${local.backup_root}control-plane/*",
    ]
  }
  statement {
    sid       = "ListBackups"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.backup_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.backup_root}backups/*", "${local.backup_root}control-plane/*"]
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
    ]
  }
}

resource "aws_iam_role_policy" "operate" {
  name   = "operate"
  role   = aws_iam_role.github["operate"].id
  policy = data.aws_iam_policy_document.operate.json
}
