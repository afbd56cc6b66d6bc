variable "region" {
  description = "AWS region of the alarms, the bridge and the runner."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as eu-west-1."
  }
}

variable "account_id" {
  description = "The 12-digit AWS account this module may touch: the aws provider refuses any other (allowed_account_ids), so credentials for the wrong account fail before a plan."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "enable_triggers" {
  description = "Let alarms start DR: enables the EventBridge rule that dispatches the DR workflow and (with manage_repository_variables) sets STANDBY_ENABLE_TRIGGERS. Off by default (SPEC: trigger safety). Set true only after `standby triggers enable` accepted a drill of this deployment that `evidence check` verifies and that ended within the last 30 days (docs/deploy.md). The alarms notify the SNS topic either way."
  type        = bool
  default     = false
}

variable "enable_scheduled_drills" {
  description = "Let drill.yml's weekly schedule run a drill (no reviewer asked, always torn down): with manage_repository_variables, sets STANDBY_ENABLE_SCHEDULED_DRILLS. Off by default: set true only after `standby triggers enable --scheduled-drills` accepted a verified drill of this deployment (docs/workflows.md, \"Scheduled drills\"). Independent of enable_triggers: a scheduled drill never starts real DR."
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

variable "github_owner_id" {
  description = "Numeric id of the repository owner (gh api repos/OWNER/REPO --jq .owner.id): part of GitHub's immutable OIDC subject repo:<owner>@<owner_id>/<repo>@<repo_id>:..."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]{0,19}$", var.github_owner_id))
    error_message = "github_owner_id must be the owner's numeric id."
  }
}

variable "protected_branch" {
  description = "The branch standby's workflows run from. Roles trust only runs of refs/heads/<it> whose workflow file comes from it; the branch protection rule and the environments' deployment policy are about it."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,200}$", var.protected_branch)) && !strcontains(var.protected_branch, "..") && !startswith(var.protected_branch, "/") && !endswith(var.protected_branch, "/")
    error_message = "protected_branch must be a plain branch name (no wildcards)."
  }
}

variable "manage_branch_protection" {
  description = "Create the branch protection rule on protected_branch. Without any rule, GitHub's 'protected branches only' deployment policy lets every branch deploy."
  type        = bool
  default     = true
}

variable "branch_protection_required_reviews" {
  description = "Approving reviews a pull request into protected_branch needs (0 still requires a pull request)."
  type        = number
  default     = 1

  validation {
    condition     = var.branch_protection_required_reviews >= 0 && var.branch_protection_required_reviews <= 6 && floor(var.branch_protection_required_reviews) == var.branch_protection_required_reviews
    error_message = "branch_protection_required_reviews must be a whole number between 0 and 6."
  }
}

variable "manage_repository_variables" {
  description = "Write the STANDBY_* repository variables the workflows read (docs/terraform.md). Set false if you manage them yourself (existing variables of the same names make the apply fail until imported or removed)."
  type        = bool
  default     = true
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
  description = "Branch the dispatched workflow runs on: must be protected_branch (the roles trust no other ref)."
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

variable "bridge_smoke_test_schedule" {
  description = "When the bridge smoke test runs (EventBridge Scheduler expression, UTC): it dispatches the DR workflow as a dry run so an expired dispatch token raises standby-bridge-failed. Default: 09:00 UTC on the 1st of every month."
  type        = string
  default     = "cron(0 9 1 * ? *)"

  validation {
    condition     = can(regex("^(cron\\([^()]+\\)|rate\\([1-9][0-9]* (days?|hours?)\\))$", var.bridge_smoke_test_schedule))
    error_message = "bridge_smoke_test_schedule must be an EventBridge Scheduler cron(...) expression, or rate(N hours|days)."
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
  description = "Dimensions of the health metrics, e.g. { Pipeline = \"my-bucket/batch\" }. null (the default) derives check-health's own default, Pipeline=<publish_bucket>/<publish_prefix>; set it only together with check-health's metric-dimensions input (repository variable STANDBY_METRIC_DIMENSIONS)."
  type        = map(string)
  default     = null

  validation {
    condition     = var.metric_dimensions == null || try(length(var.metric_dimensions) >= 1 && length(var.metric_dimensions) <= 30, false)
    error_message = "metric_dimensions must be null or have between 1 and 30 entries."
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
  description = "Consecutive breaching (or missing) periods before an alarm fires: N of N. At least 2, so one dropped or late run of the hourly freshness schedule (one missing period) does not raise the alarms."
  type        = number
  default     = 2

  validation {
    condition     = var.alarm_evaluation_periods >= 2 && var.alarm_evaluation_periods <= 24 && floor(var.alarm_evaluation_periods) == var.alarm_evaluation_periods
    error_message = "alarm_evaluation_periods must be a whole number between 2 and 24 (1 would let one dropped scheduled run raise the alarms)."
  }
}

variable "publish_bucket" {
  description = "Bucket the batch system publishes to (the detect role reads its state/ and latest/ pointers). The single-publisher form: required without `targets`, refused with it."
  type        = string
  default     = null

  validation {
    condition     = var.publish_bucket == null || try(can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.publish_bucket)) && !strcontains(var.publish_bucket, ".."), false)
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

variable "publish_region" {
  description = "Region of the publisher's bucket (STANDBY_PRIMARY_REGION); null = region. Scopes kms:ViaService for publish_kms_key_arn."
  type        = string
  default     = null

  validation {
    condition     = var.publish_region == null || can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.publish_region))
    error_message = "publish_region must be an AWS region code such as eu-west-1, or null."
  }
}

variable "publish_providers" {
  description = "provider/profile pairs check-health checks (STANDBY_PROVIDERS), e.g. [\"acme/daily\"]: each needs state/<pair>/last_success.json and latest/<pair>/<expected_marker_file>. The single-publisher form: required without `targets`, refused with it."
  type        = list(string)
  default     = null

  validation {
    condition     = var.publish_providers == null || try(length(var.publish_providers) >= 1 && alltrue([for pair in var.publish_providers : can(regex("^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$", pair)) && !contains(split("/", pair), ".") && !contains(split("/", pair), "..")]) && length(distinct(var.publish_providers)) == length(var.publish_providers), false)
    error_message = "publish_providers must list at least one provider/profile pair (letters, digits, . _ - on each side), each once."
  }
}

variable "expected_marker_file" {
  description = "File check-health requires under latest/<provider>/<profile>/ (STANDBY_EXPECTED_MARKER_FILE), e.g. _SUCCESS, or openai_top.cs.md for a seed-style publisher."
  type        = string
  default     = "_SUCCESS"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,255}$", var.expected_marker_file)) && !contains([".", ".."], var.expected_marker_file)
    error_message = "expected_marker_file must be a plain file name (letters, digits, . _ -)."
  }
}

variable "publish_kms_key_arn" {
  description = "Customer-managed KMS key of the publish bucket, if it has one: detect gets kms:Decrypt, failback kms:Decrypt and kms:GenerateDataKey (through S3 only)."
  type        = string
  default     = null

  validation {
    condition     = var.publish_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.publish_kms_key_arn))
    error_message = "publish_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid>) or null."
  }
}

variable "receipt_bucket" {
  description = "Name of the receipt bucket this module creates (versioned, SSE-KMS, Object Lock, conditional writes only); globally unique."
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
  description = "Bucket holding the backups in this region (the replica): the runner role reads <prefix>/backups/ and control-plane/, infra reads <prefix>/backups/ (restore-precheck); detect reads metadata.json for BackupAgeHours. The single-publisher form: required without `targets`, refused with it."
  type        = string
  default     = null

  validation {
    # S3's naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), the same as
    # the phases and restore.sh: every case of test/fixtures/backup-uri-cases.json is run through this.
    condition     = var.backup_bucket == null || try(can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_bucket)) && !strcontains(var.backup_bucket, "..") && !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.backup_bucket)) && !can(regex("^(xn--|sthree-|amzn-s3-demo-)", var.backup_bucket)) && !can(regex("(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$", var.backup_bucket)), false)
    error_message = "backup_bucket must be a valid S3 bucket name: 3-63 of a-z 0-9 . -, a letter or digit at each end, no '..', not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)."
  }
}

variable "backup_prefix" {
  description = "Key prefix above backups/ (empty for the bucket root)."
  type        = string
  default     = ""

  validation {
    # '..' inside a segment is a name; a segment that is '.' or '..' is traversal (the backup URI contract).
    condition     = var.backup_prefix == "" || (can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.backup_prefix)) && !can(regex("(^|/)\\.\\.?(/|$)", var.backup_prefix)))
    error_message = "backup_prefix must be S3 key segments (A-Z a-z 0-9 ! _ . * ' ( ) -) separated by '/', without leading/trailing slashes and without '.' or '..' segments."
  }
}

variable "manage_backup_lifecycle" {
  description = "Create the lifecycle configuration of backup_bucket (backups.tf): expire noncurrent versions of pruned backups. It replaces any lifecycle rules the bucket already has; set false and add the rule yourself if it has others."
  type        = bool
  default     = true
}

variable "backup_noncurrent_version_days" {
  description = "Days a pruned (deleted) backup's noncurrent versions stay in backup_bucket before S3 expires them: the window to undo a prune, an accident or an attack by removing the delete markers."
  type        = number
  default     = 30

  validation {
    condition     = var.backup_noncurrent_version_days >= 1 && var.backup_noncurrent_version_days <= 3650 && floor(var.backup_noncurrent_version_days) == var.backup_noncurrent_version_days
    error_message = "backup_noncurrent_version_days must be a whole number of days between 1 and 3650."
  }
}

variable "backup_kms_key_arn" {
  description = "Customer-managed KMS key of the backup bucket (the replica in this region), if it has one: the runner, infra and detect roles get kms:Decrypt (through S3 only)."
  type        = string
  default     = null

  validation {
    condition     = var.backup_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.backup_kms_key_arn))
    error_message = "backup_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid>) or null."
  }
}

variable "max_drill_age_days" {
  description = "DrillAgeHours (the age of the newest verified drill, published by the freshness schedule) above this many days raises the drill-age alarm, which notifies the SNS topic and never starts DR."
  type        = number
  default     = 14

  validation {
    condition     = var.max_drill_age_days >= 1 && var.max_drill_age_days <= 365 && floor(var.max_drill_age_days) == var.max_drill_age_days
    error_message = "max_drill_age_days must be a whole number of days from 1 to 365."
  }
}

variable "backup_signer_role_arns" {
  description = "IAM roles that make backups (the primary's `standby backup --signing-key` job). Non-empty: an asymmetric ECC_NIST_P256 SIGN_VERIFY KMS key (alias/standby-backup-signing) is created in this region; only these roles may kms:Sign with it, the infra role may kms:GetPublicKey and kms:Verify, and STANDBY_BACKUP_VERIFY_KEY makes restore-precheck refuse unsigned, re-signed or altered backups. Empty: no key, signatures are not checked."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.backup_signer_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", arn))])
    error_message = "backup_signer_role_arns must be IAM role ARNs (arn:aws:iam::<account>:role/<name>), without wildcards."
  }
}

variable "max_backup_age_hours" {
  description = "BackupAgeHours above this raises the RPO alarm (STANDBY_MAX_BACKUP_AGE_HOURS, restore-precheck's bound)."
  type        = number
  default     = 26

  validation {
    condition     = var.max_backup_age_hours > 0 && var.max_backup_age_hours <= 8760
    error_message = "max_backup_age_hours must be greater than 0 and at most 8760."
  }
}

variable "ecr_repository_arns" {
  description = "ECR repositories the runner may pull from (the validation job's image and the restored workloads'); empty = no ECR access."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9][a-z0-9._/-]*$", arn))])
    error_message = "ecr_repository_arns must be ECR repository ARNs (arn:aws:ecr:<region>:<account>:repository/<name>), without wildcards."
  }
}

variable "receipt_retention_days" {
  description = "S3 Object Lock default retention of every receipt version, in days: nobody can delete or overwrite a receipt version before then."
  type        = number
  default     = 400

  validation {
    condition     = var.receipt_retention_days >= 1 && var.receipt_retention_days <= 36500 && floor(var.receipt_retention_days) == var.receipt_retention_days
    error_message = "receipt_retention_days must be a whole number of days between 1 and 36500."
  }
}

variable "receipt_retention_mode" {
  description = "Object Lock mode: GOVERNANCE (a principal with s3:BypassGovernanceRetention can still delete) or COMPLIANCE (nobody, not even the root user, until the retention ends)."
  type        = string
  default     = "GOVERNANCE"

  validation {
    condition     = contains(["GOVERNANCE", "COMPLIANCE"], var.receipt_retention_mode)
    error_message = "receipt_retention_mode must be GOVERNANCE or COMPLIANCE."
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
  description = "Prefix of the runners' state keys (<prefix>/<execution id>.tfstate, bringup's state-key-prefix): the infra role may use state, lock files and lock items under it only."
  type        = string
  default     = "standby/runners"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.runner_state_key_prefix)) && !strcontains(var.runner_state_key_prefix, "..")
    error_message = "runner_state_key_prefix must be S3 key segments separated by '/', without leading/trailing slashes or '..'."
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

variable "teardown_environment" {
  description = "Protected environment whose required reviewers (promotion_reviewers, never the person who started the run) approve tearing down a real-DR standby in teardown.yml; drills tear down without it."
  type        = string
  default     = "standby-teardown"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,255}$", var.teardown_environment))
    error_message = "teardown_environment must be an environment name of A-Z a-z 0-9 . _ -."
  }

  validation {
    condition     = !contains([var.role_environments.detect, var.role_environments.infra, var.role_environments.operate], var.teardown_environment)
    error_message = "teardown_environment must not be a phase environment (detect, infra, operate): those have no reviewers."
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

variable "targets" {
  description = "The targets this deployment protects, keyed by target name (^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$): each a publisher (publish_bucket, publish_prefix, providers as {provider, profile}), its backups (backup_bucket, backup_prefix), the application namespace and state claim (null: the STANDBY_NAMESPACE variable / the claim the backup records), target_kind (k3s or eks), and optionally expected_marker_file and metric_dimensions (null: Pipeline=<bucket>/<prefix>, Target=<name>); an eks target's restore takes storage_class (default gp3) and loader_image (required on eks: digest-pinned, <image>@sha256:<64 hex>). Written to GitHub as STANDBY_TARGETS; each target gets its own alarms. Empty (the default): one target named default from publish_bucket, publish_providers, backup_bucket and friends, as before targets existed."
  type = map(object({
    publish_bucket       = string
    publish_prefix       = optional(string, "")
    providers            = list(object({ provider = string, profile = string }))
    expected_marker_file = optional(string)
    backup_bucket        = string
    backup_prefix        = optional(string, "")
    namespace            = optional(string)
    state_claim          = optional(string)
    target_kind          = optional(string, "k3s")
    metric_dimensions    = optional(map(string))
    storage_class        = optional(string, "gp3")
    loader_image         = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    # The same rule as src/targets (parseTargetName); test/fixtures/target-name-cases.json holds the cases.
    condition     = alltrue([for name in keys(var.targets) : can(regex("^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$", name))])
    error_message = "targets: every name must match ^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$ (1-31 characters of a-z 0-9 -, a letter first, no - last)."
  }

  validation {
    condition     = alltrue([for target in values(var.targets) : contains(["k3s", "eks"], target.target_kind)])
    error_message = "targets: target_kind must be k3s or eks."
  }

  validation {
    condition     = alltrue([for target in values(var.targets) : try(can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", target.publish_bucket)) && !strcontains(target.publish_bucket, "..") && can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", target.backup_bucket)) && !strcontains(target.backup_bucket, ".."), false)])
    error_message = "targets: publish_bucket and backup_bucket must be valid, non-empty S3 bucket names."
  }

  validation {
    # The same segment rules as publish_prefix and backup_prefix.
    condition     = alltrue([for target in values(var.targets) : (target.publish_prefix == "" || can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", target.publish_prefix)) && !strcontains(target.publish_prefix, "..")) && (target.backup_prefix == "" || can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", target.backup_prefix)) && !can(regex("(^|/)\\.\\.?(/|$)", target.backup_prefix)))])
    error_message = "targets: publish_prefix and backup_prefix must be S3 key segments separated by '/', without leading/trailing slashes and without '.' or '..' segments."
  }

  validation {
    condition     = alltrue([for target in values(var.targets) : length(target.providers) >= 1 && alltrue([for pair in target.providers : can(regex("^[A-Za-z0-9._-]+$", pair.provider)) && can(regex("^[A-Za-z0-9._-]+$", pair.profile)) && !contains([".", ".."], pair.provider) && !contains([".", ".."], pair.profile)]) && length(distinct([for pair in target.providers : "${pair.provider}/${pair.profile}"])) == length(target.providers)])
    error_message = "targets: providers must list at least one {provider, profile} (letters, digits, . _ -; not '.' or '..'), each pair once."
  }

  validation {
    condition     = alltrue([for target in values(var.targets) : alltrue([for label in [target.namespace, target.state_claim] : label == null || can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", label))])])
    error_message = "targets: namespace and state_claim must be DNS-1123 labels (a-z 0-9 -, at most 63) or null."
  }

  # The eks restore's values (docs/eks.md): the same rules as the restore phase (storage-class,
  # loader-image) and restore.sh; test/fixtures/eks-restore-input-cases.json holds the cases for all three.
  validation {
    condition     = alltrue([for target in values(var.targets) : can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", target.storage_class))])
    error_message = "targets: storage_class must be a StorageClass name (a DNS-1123 subdomain: a-z 0-9 - ., at most 253)."
  }

  validation {
    condition     = alltrue([for target in values(var.targets) : target.loader_image == null || can(regex("^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?/)?[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$", target.loader_image))])
    error_message = "targets: loader_image must be an image pinned by digest, <registry/repository>[:tag]@sha256:<64 lowercase hex>."
  }

  # The eks restore starts a loader pod from this image; without it the restore is refused, so refuse at plan.
  validation {
    condition     = alltrue([for target in values(var.targets) : target.loader_image != null if target.target_kind == "eks"])
    error_message = "targets: every target of target_kind eks needs loader_image (the digest-pinned image of the pod that loads the state into the claim; docs/eks.md)."
  }

  validation {
    # Two targets restoring from one backups prefix would restore each other's state (and prune each other's backups).
    condition     = length(distinct([for target in values(var.targets) : "${target.backup_bucket}/${target.backup_prefix}"])) == length(var.targets)
    error_message = "targets: each target needs its own backups: no two may share backup_bucket and backup_prefix."
  }

  validation {
    condition     = alltrue([for target in values(var.targets) : target.metric_dimensions == null || try(length(target.metric_dimensions) >= 1 && length(target.metric_dimensions) <= 30, false)])
    error_message = "targets: metric_dimensions must be null or have between 1 and 30 entries."
  }

  validation {
    # One form or the other: with targets, the single-publisher variables would be silently ignored.
    condition     = length(var.targets) == 0 ? (var.publish_bucket != null && var.publish_providers != null && var.backup_bucket != null) : (var.publish_bucket == null && var.publish_providers == null && var.backup_bucket == null && var.metric_dimensions == null)
    error_message = "Give either targets, or the single publisher (publish_bucket, publish_providers, backup_bucket): without targets all three are required; with targets none of them (nor metric_dimensions) may be set."
  }
}

variable "eks_cluster_name" {
  description = "The existing EKS cluster that the targets of target_kind eks restore into (docs/eks.md); required when a target is of kind eks, empty (the default) otherwise: then no node role, no access entry, no EKS permission anywhere. standby never creates or deletes the cluster."
  type        = string
  default     = ""

  validation {
    condition     = var.eks_cluster_name == "" || can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.eks_cluster_name))
    error_message = "eks_cluster_name must be an EKS cluster name (1-100 of A-Z a-z 0-9 - _, starting with a letter or digit), or empty."
  }

  validation {
    condition     = (var.eks_cluster_name == "") == (length([for target in values(var.targets) : target if target.target_kind == "eks"]) == 0)
    error_message = "eks_cluster_name must name the EKS cluster when a target has target_kind eks, and be empty when none has."
  }

  # The runner role's access policy is scoped to the eks targets' namespaces (eks.tf): without one there
  # is nothing to scope it to.
  validation {
    condition     = alltrue([for target in values(var.targets) : target.namespace != null if target.target_kind == "eks"])
    error_message = "Every target of target_kind eks must name its namespace: the runner role's access on the cluster is scoped to it."
  }
}
