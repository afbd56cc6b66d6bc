# The hardened S3 bucket both standby buckets are: versioned, SSE-KMS with the caller's key, public access
# blocked, owner-enforced (no ACLs), TLS only, incomplete uploads tidied. The caller adds its own bucket
# policy statements (policy_documents) and anything bucket-specific (Object Lock retention).

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:one-region evidence and state; cross-region replication is an account-level DR choice, not this bucket's
  #checkov:skip=CKV_AWS_18:access logging needs a second log bucket; CloudTrail data events are the audit trail for reads
  #checkov:skip=CKV2_AWS_62:nothing consumes this bucket's events; notifications would only add an unused target
  bucket = var.bucket_name

  # Object Lock can only be switched on when the bucket is created (it also turns versioning on).
  object_lock_enabled = var.object_lock_enabled
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Locked versions cannot be expired before their retention ends; lifecycle only tidies what it may.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "tidy-versions-and-uploads"
    status = "Enabled"
    filter {}
    dynamic "noncurrent_version_expiration" {
      for_each = var.noncurrent_version_retention_days == null ? [] : [var.noncurrent_version_retention_days]
      content {
        noncurrent_days = noncurrent_version_expiration.value
      }
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = var.policy_documents

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
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
}

resource "aws_s3_bucket_policy" "this" {
  bucket     = aws_s3_bucket.this.id
  policy     = data.aws_iam_policy_document.this.json
  depends_on = [aws_s3_bucket_public_access_block.this]
}
