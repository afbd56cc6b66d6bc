# Signed backups (issue 23.5, docs/restore.md "Signed backups"): an asymmetric KMS key in this (the DR)
# region, created when backup_signer_role_arns names the roles that make backups. Only those roles may
# kms:Sign (`standby backup --signing-key`); the infra role, which runs restore-precheck before any EC2
# spend, may read the public key (kms:GetPublicKey: what restore-precheck calls, once per run) and
# kms:Verify (a manual `aws kms verify`). The account's administrators manage the key but are not given
# Sign, Verify or GetPublicKey: an IAM policy takes effect on a KMS key only for the actions its key policy
# allows the account, so no IAM policy in this account can add a signer.
# An asymmetric key cannot rotate (KMS rotates symmetric keys only): a new key means re-signing nothing,
# old backups keep verifying with the old key until they age out.

locals {
  backup_signing = length(var.backup_signer_role_arns) > 0
}

resource "aws_kms_key" "backup_signing" {
  count                    = local.backup_signing ? 1 : 0
  description              = "standby backup signing (metadata.json.sig)"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
  deletion_window_in_days  = var.kms_deletion_window_days
  policy                   = data.aws_iam_policy_document.backup_signing_key.json
}

resource "aws_kms_alias" "backup_signing" {
  count         = local.backup_signing ? 1 : 0
  name          = "alias/standby-backup-signing"
  target_key_id = aws_kms_key.backup_signing[0].key_id
}

data "aws_iam_policy_document" "backup_signing_key" {
  #checkov:skip=CKV_AWS_111:a key policy's Resource "*" is this key alone; who may act is bounded by each statement's principal
  #checkov:skip=CKV_AWS_356:a key policy's Resource "*" is this key alone (KMS accepts nothing else there), not every resource
  #checkov:skip=CKV_AWS_109:only the account may manage the key (IAM delegation), as in AWS's default key policy; no role is named
  statement {
    # Key administration only (the actions of AWS's default key-administrators statement, less Get*):
    # delegated to IAM in this account. No kms:Sign here, so IAM cannot grant Sign to anyone.
    sid = "AccountAdministersKey"
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
    actions = [
      "kms:Create*",
      "kms:Describe*",
      "kms:Enable*",
      "kms:List*",
      "kms:Put*",
      "kms:Update*",
      "kms:Revoke*",
      "kms:Disable*",
      "kms:GetKeyPolicy",
      "kms:Delete*",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
    ]
    resources = ["*"]
  }
  statement {
    # The producer: DescribeKey to choose the algorithm and check the key before archiving, Sign once
    # per backup. A role in another account also needs kms:Sign on this key in its own IAM policy.
    sid = "ProducerSignsBackups"
    principals {
      type        = "AWS"
      identifiers = var.backup_signer_role_arns
    }
    actions   = ["kms:DescribeKey", "kms:Sign"]
    resources = ["*"]
  }
  statement {
    sid = "DrVerifiesBackups"
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.github["infra"].arn]
    }
    actions   = ["kms:GetPublicKey", "kms:Verify"]
    resources = ["*"]
  }
}
