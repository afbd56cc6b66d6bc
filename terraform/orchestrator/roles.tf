# GitHub OIDC and one least-privilege role per concern. Each role trusts only this repository (by its
# immutable numeric id) running a job in that role's environment.

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_oidc_provider ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 0 : 1
  url   = "https://token.actions.githubusercontent.com"
}

locals {
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
  oidc_host         = "token.actions.githubusercontent.com"

  receipt_objects = "arn:${local.partition}:s3:::${var.receipt_bucket}/${var.receipt_prefix}/*"
  publish_root    = var.publish_prefix == "" ? "" : "${var.publish_prefix}/"
  backup_root     = var.backup_prefix == "" ? "" : "${var.backup_prefix}/"
  ec2_arn         = "arn:${local.partition}:ec2:${var.region}:${local.account}"
  iam_arn         = "arn:${local.partition}:iam::${local.account}"
  runner_role     = "${local.iam_arn}:role/standby/${var.runner_name}-role"
  runner_profile  = "${local.iam_arn}:instance-profile/standby/${var.runner_name}-profile"
}

data "aws_iam_policy_document" "trust" {
  for_each = var.role_environments

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["repo:${local.repo_full}:environment:${each.value}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:repository_id"
      values   = [var.github_repository_id]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:environment"
      values   = [each.value]
    }
  }
}

resource "aws_iam_role" "github" {
  for_each             = var.role_environments
  name                 = "standby-${each.key}"
  path                 = "/standby/"
  description          = "standby ${each.key} role for ${local.repo_full} jobs in environment ${each.value}"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = 3600
}

# Receipts: every phase writes its own (conditional PutObject) and reads the chain before it.
data "aws_iam_policy_document" "receipts" {
  statement {
    sid       = "ReadWriteReceipts"
    actions   = ["s3:GetObject", "s3:GetObjectAttributes", "s3:PutObject"]
    resources = [local.receipt_objects]
  }
  statement {
    sid       = "ListReceipts"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.receipt_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.receipt_prefix}/*"]
    }
  }
}

resource "aws_iam_role_policy" "receipts" {
  for_each = aws_iam_role.github
  name     = "receipts"
  role     = each.value.id
  policy   = data.aws_iam_policy_document.receipts.json
}

# detect: read the publisher's pointers, publish the health metrics; list run folders (failback's dry run).
data "aws_iam_policy_document" "detect" {
  statement {
    sid     = "ReadPublishPointers"
    actions = ["s3:GetObject"]
    resources = [
      "arn:${local.partition}:s3:::${var.publish_bucket}/${local.publish_root}state/*",
      "arn:${local.partition}:s3:::${var.publish_bucket}/${local.publish_root}latest/*",
    ]
  }
  statement {
    sid       = "ListPublishPointers"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.publish_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.publish_root}state/*", "${local.publish_root}latest/*", "${local.publish_root}runs/*"]
    }
  }
  statement {
    # PutMetricData has no resource-level permissions; the namespace condition is what scopes it.
    sid       = "PutHealthMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metric_namespace]
    }
  }
}

resource "aws_iam_role_policy" "detect" {
  name   = "detect"
  role   = aws_iam_role.github["detect"].id
  policy = data.aws_iam_policy_document.detect.json
}

# failback: rewrite the publisher's state/ pointers (conditional writes), nothing else. Its trust names the
# protected promotion environment, so only a reviewer-approved job can assume it.
data "aws_iam_policy_document" "failback" {
  statement {
    sid       = "SwitchPublishPointers"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:${local.partition}:s3:::${var.publish_bucket}/${local.publish_root}state/*"]
  }
  statement {
    sid       = "ListPointersAndRuns"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.publish_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.publish_root}state/*", "${local.publish_root}runs/*"]
    }
  }
}

resource "aws_iam_role_policy" "failback" {
  name   = "failback"
  role   = aws_iam_role.github["failback"].id
  policy = data.aws_iam_policy_document.failback.json
}
