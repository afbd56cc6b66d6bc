# The receipt bucket: every phase's receipt, written once. Versioned, SSE-KMS with its own key, public
# access blocked, TLS only, S3 Object Lock with a default retention (receipt_retention_days), and a bucket
# policy that refuses a PutObject on a receipt key unless the request is conditional (If-None-Match), so
# no role, however broad, can overwrite a receipt even by mistake.

resource "aws_kms_key" "receipts" {
  description             = "standby receipt bucket encryption"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministersKeyThroughIam"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "receipts" {
  name          = "alias/standby-receipts"
  target_key_id = aws_kms_key.receipts.key_id
}

# Versioned, SSE-KMS with its own key, public access blocked, owner-enforced, TLS only: the shared
# hardened bucket (../modules/hardened-bucket), created with Object Lock.
module "receipt_bucket" {
  source = "../modules/hardened-bucket"

  bucket_name         = var.receipt_bucket
  kms_key_arn         = aws_kms_key.receipts.arn
  object_lock_enabled = true
  policy_documents    = [data.aws_iam_policy_document.receipt_bucket.json]
}

resource "aws_s3_bucket_object_lock_configuration" "receipts" {
  bucket = module.receipt_bucket.id

  rule {
    default_retention {
      mode = var.receipt_retention_mode
      days = var.receipt_retention_days
    }
  }

  depends_on = [module.receipt_bucket]
}

data "aws_iam_policy_document" "receipt_bucket" {
  # s3:if-none-match is present only when the request carries an If-None-Match header (S3 accepts only
  # "*" there: write only if the key does not exist). "Null = true" means the header is absent. This also
  # refuses multipart uploads and CopyObject into the prefix, which cannot carry the header on every call;
  # receipts are a few KB, written in one PutObject.
  statement {
    sid       = "DenyUnconditionalReceiptWrites"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${module.receipt_bucket.arn}/${var.receipt_prefix}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Null"
      variable = "s3:if-none-match"
      values   = ["true"]
    }
  }

  # A delete of a receipt's current version leaves a delete marker even under Object Lock, which would
  # hide the receipt from a plain listing: nobody deletes receipts (an admin must first change this policy,
  # which CloudTrail records). `evidence check` also reports delete markers it finds.
  statement {
    sid       = "DenyReceiptDeletes"
    effect    = "Deny"
    actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = ["${module.receipt_bucket.arn}/${var.receipt_prefix}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

# Deployments made before the shared module: the bucket's resources move into it instead of being
# destroyed and created again (docs/terraform.md, "Upgrading a deployment made before these changes").

moved {
  from = aws_s3_bucket.receipts
  to   = module.receipt_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_versioning.receipts
  to   = module.receipt_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.receipts
  to   = module.receipt_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_public_access_block.receipts
  to   = module.receipt_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_ownership_controls.receipts
  to   = module.receipt_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.receipts
  to   = module.receipt_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.receipts
  to   = module.receipt_bucket.aws_s3_bucket_policy.this
}
