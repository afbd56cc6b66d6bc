variable "bucket_name" {
  description = "Name of the bucket to create."
  type        = string

  validation {
    # S3 general purpose bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens,
    # starting and ending with a letter or digit.
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 characters: a-z, 0-9, '.', '-')."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts every object by default (SSE-KMS with an S3 Bucket Key)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "object_lock_enabled" {
  description = "Create the bucket with S3 Object Lock (only possible at creation; the caller sets the retention)."
  type        = bool
  default     = false
}

variable "noncurrent_version_retention_days" {
  description = "Days a superseded object version is kept before it expires; null keeps every version."
  type        = number
  default     = null

  validation {
    condition = var.noncurrent_version_retention_days == null ? true : (
      var.noncurrent_version_retention_days >= 1 && var.noncurrent_version_retention_days <= 36500 &&
      floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    )
    error_message = "noncurrent_version_retention_days must be null or whole days from 1 to 36500."
  }
}

variable "policy_documents" {
  description = "Bucket policy JSON documents (aws_iam_policy_document .json) merged after this module's TLS-only deny."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for doc in var.policy_documents : can(jsondecode(doc).Statement)])
    error_message = "policy_documents must be IAM policy JSON documents, each with a Statement."
  }
}
