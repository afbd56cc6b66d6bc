data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

resource "aws_kms_key" "state" {
  description             = "standby Terraform state and lock table encryption"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days

  # Key policies name the key itself as "*"; access is granted to the account and then narrowed by IAM.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministersKeyThroughIam"
      Effect    = "Allow"
      Principal = { AWS = local.account_root }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "state" {
  name          = "alias/standby-terraform-state"
  target_key_id = aws_kms_key.state.key_id
}

# Versioned, SSE-KMS with this module's key, public access blocked, owner-enforced, TLS only: the shared
# hardened bucket (../modules/hardened-bucket); superseded state versions expire after the retention.
module "state_bucket" {
  source = "../modules/hardened-bucket"

  bucket_name                       = var.state_bucket_name
  kms_key_arn                       = aws_kms_key.state.arn
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  policy_documents                  = [data.aws_iam_policy_document.state_bucket.json]
}

data "aws_iam_policy_document" "state_bucket" {
  # State files are encrypted with this module's key, never with SSE-S3. Terraform's S3 backend with
  # encrypt = true but no kms_key_id asks for AES256 explicitly (which overrides the bucket default), so
  # such a write is refused, as is one naming another key. A request without encryption headers (or a
  # multipart UploadPart, which carries none) gets the bucket default: this key. Pass
  # -backend-config=kms_key_id=<kms_key_arn output> (repository variable STANDBY_TF_STATE_KMS_KEY_ID).
  statement {
    sid       = "DenyStateWithAnotherEncryption"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${module.state_bucket.arn}/*.tfstate"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["false"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  statement {
    sid       = "DenyStateWithAnotherKey"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${module.state_bucket.arn}/*.tfstate"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = ["false"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.state.arn]
    }
  }
}

resource "aws_dynamodb_table" "lock" {
  name                        = var.lock_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "LockID"
  deletion_protection_enabled = true

  attribute {
    name = "LockID"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.state.arn
  }

  point_in_time_recovery {
    enabled = true
  }
}

# Deployments made before the shared module: the bucket's resources move into it instead of being
# destroyed and created again (docs/terraform.md, "Upgrading a deployment made before these changes").
moved {
  from = aws_s3_bucket.state
  to   = module.state_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_versioning.state
  to   = module.state_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.state
  to   = module.state_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_public_access_block.state
  to   = module.state_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_ownership_controls.state
  to   = module.state_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.state
  to   = module.state_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.state
  to   = module.state_bucket.aws_s3_bucket_policy.this
}
