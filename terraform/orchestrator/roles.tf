# GitHub OIDC and one least-privilege role per concern. Each role trusts only this repository (by its
# immutable numeric id and its subject in both GitHub formats) running a job in that role's environment,
# from a workflow on the protected branch.

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

  # GitHub's two subject formats: name-only (repositories created before 2026-07-15 that have not opted
  # in) and immutable (owner and repository ids appended with '@'; the default for repositories created or
  # renamed on or after 2026-07-15). docs/workflows.md, "AWS access through OIDC".
  repo_immutable = "${var.github_owner}@${var.github_owner_id}/${var.github_repository}@${var.github_repository_id}"
  protected_ref  = "refs/heads/${var.protected_branch}"

  receipt_objects = "arn:${local.partition}:s3:::${var.receipt_bucket}/${var.receipt_prefix}/*"
  ec2_arn         = "arn:${local.partition}:ec2:${var.region}:${local.account}"
  iam_arn         = "arn:${local.partition}:iam::${local.account}"
  publish_region  = var.publish_region == null ? var.region : var.publish_region
}

# Every condition must hold (IAM ANDs condition keys; values of one key are ORed). AWS STS checks
# GitHub's repository_id, environment, ref and job_workflow_ref claims directly (since January 2026).
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
      values = [
        "repo:${local.repo_full}:environment:${each.value}",
        "repo:${local.repo_immutable}:environment:${each.value}",
      ]
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
    # The run's ref and the workflow file that defines the job both come from the protected branch, so a
    # job edited on another branch cannot assume a role even if an environment rule were loosened.
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:ref"
      values   = [local.protected_ref]
    }
    condition {
      test     = "StringLike"
      variable = "${local.oidc_host}:job_workflow_ref"
      values = [
        "${local.repo_full}/.github/workflows/*@${local.protected_ref}",
        "${local.repo_immutable}/.github/workflows/*@${local.protected_ref}",
      ]
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

# Receipts: every phase writes its own (conditional PutObject, which the bucket policy enforces) and reads
# the chain before it. The bucket is SSE-KMS with its own key, so writing needs GenerateDataKey.
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
  statement {
    # evidence collect/check count each receipt key's versions (an overwrite shows as a second version).
    sid       = "ReceiptVersions"
    actions   = ["s3:ListBucketVersions"]
    resources = ["arn:${local.partition}:s3:::${var.receipt_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.receipt_prefix}/*"]
    }
  }
  statement {
    sid       = "ReceiptBucketVersioning"
    actions   = ["s3:GetBucketVersioning"]
    resources = ["arn:${local.partition}:s3:::${var.receipt_bucket}"]
  }
  statement {
    sid       = "EncryptReceipts"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.receipts.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "receipts" {
  for_each = aws_iam_role.github
  name     = "receipts"
  role     = each.value.id
  policy   = data.aws_iam_policy_document.receipts.json
}

# detect: read the publisher's pointers, publish the health metrics (DrillAgeHours too: the drill receipts it
# reads are the receipts policy's, above; and BackupAgeHours: it lists the
# backups and reads their metadata.json), list run folders (failback's dry run).
data "aws_iam_policy_document" "detect" {
  statement {
    sid       = "ReadPublishPointers"
    actions   = ["s3:GetObject"]
    resources = local.target_publish_objects["state_latest"]
  }
  statement {
    sid       = "ListPublishPointers"
    actions   = ["s3:ListBucket"]
    resources = local.target_publish_bucket_arns
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = local.target_publish_list_prefixes["state_latest_runs"]
    }
  }
  statement {
    sid       = "ReadBackupMetadata"
    actions   = ["s3:GetObject"]
    resources = local.target_backup_objects["metadata"]
  }
  statement {
    sid       = "ListBackups"
    actions   = ["s3:ListBucket"]
    resources = local.target_backup_bucket_arns
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = local.target_backup_list_prefixes["backups"]
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
  dynamic "statement" {
    for_each = var.publish_kms_key_arn == null ? [] : [var.publish_kms_key_arn]
    content {
      sid       = "DecryptPublishObjects"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.publish_region}.amazonaws.com"]
      }
    }
  }
  dynamic "statement" {
    for_each = var.backup_kms_key_arn == null ? [] : [var.backup_kms_key_arn]
    content {
      sid       = "DecryptBackupMetadata"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${var.region}.amazonaws.com"]
      }
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
    resources = local.target_publish_objects["state"]
  }
  statement {
    sid       = "ListPointersAndRuns"
    actions   = ["s3:ListBucket"]
    resources = local.target_publish_bucket_arns
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = local.target_publish_list_prefixes["state_runs"]
    }
  }
  dynamic "statement" {
    for_each = var.publish_kms_key_arn == null ? [] : [var.publish_kms_key_arn]
    content {
      sid       = "ReadWritePublishObjects"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.publish_region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "failback" {
  name   = "failback"
  role   = aws_iam_role.github["failback"].id
  policy = data.aws_iam_policy_document.failback.json
}
