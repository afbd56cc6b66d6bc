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

resource "aws_s3_bucket" "receipts" {
  #checkov:skip=CKV_AWS_144:receipts are evidence in one region; cross-region replication is an account-level DR choice for the auditor
  #checkov:skip=CKV_AWS_18:access logging needs a second log bucket; CloudTrail data events are the audit trail for receipt reads
  #checkov:skip=CKV2_AWS_62:nothing consumes receipt-bucket events; notifications would only add an unused target
  bucket = var.receipt_bucket

  # Object Lock is switched on when the bucket is created (it also turns versioning on).
  object_lock_enabled = true
}

resource "aws_s3_bucket_versioning" "receipts" {
  bucket = aws_s3_bucket.receipts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "receipts" {
  bucket = aws_s3_bucket.receipts.id

  rule {
    default_retention {
      mode = var.receipt_retention_mode
      days = var.receipt_retention_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.receipts]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "receipts" {
  bucket = aws_s3_bucket.receipts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.receipts.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "receipts" {
  bucket                  = aws_s3_bucket.receipts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "receipts" {
  bucket = aws_s3_bucket.receipts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Locked versions cannot be expired before their retention ends; this only tidies what lifecycle may.
resource "aws_s3_bucket_lifecycle_configuration" "receipts" {
  bucket = aws_s3_bucket.receipts.id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.receipts]
}

data "aws_iam_policy_document" "receipt_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.receipts.arn,
      "${aws_s3_bucket.receipts.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # s3:if-none-match is present only when the request carries an If-None-Match header (S3 accepts only
  # "*" there: write only if the key does not exist). "Null = true" means the header is absent. This also
  # refuses multipart uploads and CopyObject into the prefix, which cannot carry the header on every call;
  # receipts are a few KB, written in one PutObject.
  statement {
    sid       = "DenyUnconditionalReceiptWrites"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.receipts.arn}/${var.receipt_prefix}/*"]
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
    resources = ["${aws_s3_bucket.receipts.arn}/${var.receipt_prefix}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "receipts" {
  bucket     = aws_s3_bucket.receipts.id
  policy     = data.aws_iam_policy_document.receipt_bucket.json
  depends_on = [aws_s3_bucket_public_access_block.receipts]
}
