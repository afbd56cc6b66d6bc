variable "region" {
  description = "AWS region of the alarms, the bridge and the runner."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as eu-west-1."
  }
}

variable "enable_triggers" {
  description = "Let alarms start DR: enables the EventBridge rule and the alarm actions. Off by default (SPEC: trigger safety)."
  type        = bool
  default     = false
}

variable "github_owner" {
  description = "GitHub organisation or user that owns the repository running standby."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,37}[A-Za-z0-9])?$", var.github_owner))
    error_message = "github_owner must be a GitHub login: letters, digits and single '-', at most 39 characters."
  }
}

variable "github_repository" {
  description = "Repository name (without the owner) that runs the standby workflows."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be a repository name of A-Z a-z 0-9 . _ - (1-100 characters)."
  }
}

variable "github_repository_id" {
  description = "Numeric id of the repository (gh api repos/OWNER/REPO --jq .id); role trust matches the repository_id claim, which survives renames."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]{0,19}$", var.github_repository_id))
    error_message = "github_repository_id must be the repository's numeric id."
  }
}

variable "github_api_url" {
  description = "GitHub REST API base URL (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server)."
  type        = string
  default     = "https://api.github.com"

  validation {
    condition     = can(regex("^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._/-]*[A-Za-z0-9])?$", var.github_api_url))
    error_message = "github_api_url must be an https:// URL without a trailing slash."
  }
}

variable "alarm_workflow_file" {
  description = "File name of the workflow the bridge dispatches (under .github/workflows/)."
  type        = string
  default     = "alarm.yml"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+\\.ya?ml$", var.alarm_workflow_file))
    error_message = "alarm_workflow_file must be a workflow file name ending in .yml or .yaml."
  }
}

variable "alarm_workflow_ref" {
  description = "Branch or tag the dispatched workflow runs on."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,200}$", var.alarm_workflow_ref)) && !strcontains(var.alarm_workflow_ref, "..")
    error_message = "alarm_workflow_ref must be a branch or tag name."
  }
}

variable "github_dispatch_token" {
  description = "Token with Actions: write on the repository, held by the EventBridge connection (Secrets Manager), never in the state machine."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.github_dispatch_token) >= 20 && can(regex("^[A-Za-z0-9_]+$", var.github_dispatch_token))
    error_message = "github_dispatch_token must be a GitHub token (at least 20 characters of A-Z a-z 0-9 _)."
  }
}

variable "metric_namespace" {
  description = "CloudWatch namespace check-health publishes to (its metric-namespace input)."
  type        = string
  default     = "Standby/Pipeline"

  validation {
    condition     = can(regex("^[A-Za-z0-9 ._/#:-]{1,255}$", var.metric_namespace)) && !startswith(var.metric_namespace, "AWS/")
    error_message = "metric_namespace must be a custom CloudWatch namespace (not AWS/...)."
  }
}

variable "metric_dimensions" {
  description = "Dimensions check-health publishes with, e.g. { Pipeline = \"my-bucket/batch\" } (its default is Pipeline=<bucket>/<prefix>)."
  type        = map(string)

  validation {
    condition     = length(var.metric_dimensions) >= 1 && length(var.metric_dimensions) <= 30
    error_message = "metric_dimensions must have between 1 and 30 entries."
  }
}

variable "max_freshness_hours" {
  description = "PipelineFreshnessHours above this raises the freshness alarm (match check-health's max-freshness-hours)."
  type        = number
  default     = 26

  validation {
    condition     = var.max_freshness_hours > 0 && var.max_freshness_hours <= 8760
    error_message = "max_freshness_hours must be greater than 0 and at most 8760."
  }
}

variable "alarm_period_seconds" {
  description = "Alarm period. Must be at least the freshness workflow's schedule interval, or gaps read as missing data (which breaches)."
  type        = number
  default     = 3600

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds <= 86400 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be a multiple of 60 between 60 and 86400."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive breaching periods before an alarm fires."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 24 && floor(var.alarm_evaluation_periods) == var.alarm_evaluation_periods
    error_message = "alarm_evaluation_periods must be a whole number between 1 and 24."
  }
}

variable "publish_bucket" {
  description = "Bucket the batch system publishes to (the detect role reads its state/ and latest/ pointers)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.publish_bucket)) && !strcontains(var.publish_bucket, "..")
    error_message = "publish_bucket must be a valid S3 bucket name."
  }
}

variable "publish_prefix" {
  description = "Key prefix of the publisher (empty for the bucket root)."
  type        = string
  default     = ""

  validation {
    condition     = var.publish_prefix == "" || (can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.publish_prefix)) && !strcontains(var.publish_prefix, ".."))
    error_message = "publish_prefix must be S3 key segments separated by '/', without leading/trailing slashes or '..'."
  }
}

variable "receipt_bucket" {
  description = "Bucket for phase receipts (every role writes its own phases' receipts)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.receipt_bucket)) && !strcontains(var.receipt_bucket, "..")
    error_message = "receipt_bucket must be a valid S3 bucket name."
  }
}

variable "receipt_prefix" {
  description = "Key prefix for receipts (the phases' receipt-prefix input)."
  type        = string
  default     = "standby/receipts"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.receipt_prefix)) && !strcontains(var.receipt_prefix, "..")
    error_message = "receipt_prefix must be S3 key segments separated by '/', without leading/trailing slashes or '..'."
  }
}

variable "backup_bucket" {
  description = "Bucket holding the backups (the operate role reads <prefix>/backups/ and control-plane/)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_bucket)) && !strcontains(var.backup_bucket, "..")
    error_message = "backup_bucket must be a valid S3 bucket name."
  }
}

variable "backup_prefix" {
  description = "Key prefix above backups/ (empty for the bucket root)."
  type        = string
  default     = ""

  validation {
    condition     = var.backup_prefix == "" || (can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.backup_prefix)) && !strcontains(var.backup_prefix, ".."))
    error_message = "backup_prefix must be S3 key segments separated by '/', without leading/trailing slashes or '..'."
  }
}

variable "state_bucket" {
  description = "Terraform state bucket from the bootstrap module (the infra role reads and writes runner state there)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket)) && !strcontains(var.state_bucket, "..")
    error_message = "state_bucket must be a valid S3 bucket name."
  }
}

variable "lock_table" {
  description = "DynamoDB lock table from the bootstrap module."
  type        = string
  default     = "standby-terraform-locks"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table))
    error_message = "lock_table must be 3-255 characters of A-Z a-z 0-9 _ . -."
  }
}

variable "state_kms_key_arn" {
  description = "KMS key of the state bucket and lock table (bootstrap output kms_key_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid>)."
  }
}

variable "runner_state_key_prefix" {
  description = "State keys the infra role may use for the runner (bringup's state-key must start with this)."
  type        = string
  default     = "standby/runner"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.runner_state_key_prefix)) && !strcontains(var.runner_state_key_prefix, "..")
    error_message = "runner_state_key_prefix must be S3 key segments separated by '/', without leading/trailing slashes or '..'."
  }
}

variable "runner_name" {
  description = "The runner module's name variable: the infra role may only manage IAM objects named after it."
  type        = string
  default     = "standby-dr-runner"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,38}[a-z0-9]$", var.runner_name))
    error_message = "runner_name must be 4-40 characters: lowercase letters, digits and '-', starting with a letter."
  }
}

variable "role_environments" {
  description = "GitHub environment each role trusts: jobs must run in that environment to assume the role."
  type = object({
    detect   = string
    infra    = string
    operate  = string
    failback = string
  })
  # failback switches production pointers: its role trusts only the protected promotion environment.
  default = {
    detect   = "standby-detect"
    infra    = "standby-infra"
    operate  = "standby-operate"
    failback = "dr-promotion"
  }

  validation {
    condition     = alltrue([for env in values(var.role_environments) : can(regex("^[A-Za-z0-9._-]{1,255}$", env))])
    error_message = "role_environments values must be environment names of A-Z a-z 0-9 . _ -."
  }
}

variable "create_oidc_provider" {
  description = "Create the GitHub OIDC provider (an account has at most one; set false to use the existing one)."
  type        = bool
  default     = true
}

variable "promotion_environment" {
  description = "Protected environment that gates promotion (request-approval's environment input)."
  type        = string
  default     = "dr-promotion"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,255}$", var.promotion_environment))
    error_message = "promotion_environment must be an environment name of A-Z a-z 0-9 . _ -."
  }
}

variable "promotion_reviewers" {
  description = "Required reviewers of the promotion environment, as GitHub numeric user and team ids (1 to 6 in total)."
  type = object({
    users = list(number)
    teams = list(number)
  })

  validation {
    condition     = length(var.promotion_reviewers.users) + length(var.promotion_reviewers.teams) >= 1 && length(var.promotion_reviewers.users) + length(var.promotion_reviewers.teams) <= 6
    error_message = "promotion_reviewers must name between 1 and 6 users or teams in total (GitHub's limit is 6)."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the notification key is deleted after a destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}
