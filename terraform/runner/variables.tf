variable "region" {
  description = "AWS region to build the runner in."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as eu-west-1."
  }
}

variable "name" {
  description = "Name tag of the runner and prefix of its resources. resolve-runner looks the instance up by this Name."
  type        = string
  default     = "standby-dr-runner"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,38}[a-z0-9]$", var.name))
    error_message = "name must be 4-40 characters: lowercase letters, digits and '-', starting with a letter."
  }
}

variable "execution_id" {
  description = "DR execution id, written to the execution tag so a run's resources are traceable to its receipts."
  type        = string
  default     = "manual"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,128}$", var.execution_id))
    error_message = "execution_id may use only A-Z a-z 0-9 . _ - (1-128 characters)."
  }
}

variable "instance_type" {
  description = "Graviton (arm64) burstable instance size for the runner."
  type        = string
  default     = "t4g.medium"

  validation {
    condition     = can(regex("^t4g\\.(nano|micro|small|medium|large|xlarge|2xlarge)$", var.instance_type))
    error_message = "instance_type must be a t4g size (arm64 Graviton), e.g. t4g.medium; the k3s binary and AMI are arm64."
  }
}

variable "subnet_id" {
  description = "Private subnet for the runner. It needs a route to SSM, S3 and GitHub releases (NAT or VPC endpoints); no public IP is attached."
  type        = string

  validation {
    condition     = can(regex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", var.subnet_id))
    error_message = "subnet_id must look like subnet-0123456789abcdef0."
  }
}

variable "egress_cidr_blocks" {
  description = "Where the runner may open HTTPS (443) connections: SSM, S3, the k3s release download."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.egress_cidr_blocks) > 0 && alltrue([for cidr in var.egress_cidr_blocks : can(cidrhost(cidr, 0)) && strcontains(cidr, "/")])
    error_message = "egress_cidr_blocks must be a non-empty list of IPv4 CIDR blocks such as 10.0.0.0/16."
  }
}

variable "root_volume_size_gb" {
  description = "Size of the encrypted gp3 root volume (k3s images and the restored state live here)."
  type        = number
  default     = 30

  validation {
    condition     = var.root_volume_size_gb >= 20 && var.root_volume_size_gb <= 1024 && floor(var.root_volume_size_gb) == var.root_volume_size_gb
    error_message = "root_volume_size_gb must be a whole number between 20 and 1024."
  }
}

variable "root_volume_kms_key_arn" {
  description = "Customer-managed KMS key for the root volume; null uses the account's default EBS key (still encrypted)."
  type        = string
  default     = null

  validation {
    condition     = var.root_volume_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.root_volume_kms_key_arn))
    error_message = "root_volume_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid>) or null."
  }
}

variable "ami_ssm_parameter" {
  description = "Public SSM parameter naming the arm64 AMI. Read once: later changes do not replace a running runner."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64"

  validation {
    condition     = can(regex("^/aws/service/[A-Za-z0-9_./-]+$", var.ami_ssm_parameter)) && strcontains(var.ami_ssm_parameter, "arm64")
    error_message = "ami_ssm_parameter must be an AWS public parameter under /aws/service/ naming an arm64 image."
  }
}

variable "backup_bucket" {
  description = "Bucket that holds the standby backups (<prefix>/backups/<backup_id>/...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_bucket)) && !strcontains(var.backup_bucket, "..")
    error_message = "backup_bucket must be a valid S3 bucket name."
  }
}

variable "backup_prefix" {
  description = "Key prefix above backups/ (no leading or trailing slash; empty for the bucket root)."
  type        = string
  default     = ""

  validation {
    condition     = var.backup_prefix == "" || (can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.backup_prefix)) && !strcontains(var.backup_prefix, ".."))
    error_message = "backup_prefix must be S3 key segments separated by '/', without leading/trailing slashes or '..'."
  }
}

variable "backup_kms_key_arn" {
  description = "KMS key the backups are encrypted with, when it is a customer-managed key (the runner gets kms:Decrypt on it only)."
  type        = string
  default     = null

  validation {
    condition     = var.backup_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.backup_kms_key_arn))
    error_message = "backup_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "extra_tags" {
  description = "More tags for every resource. Name, Purpose, ManagedBy and execution are set by the module and cannot be overridden."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.extra_tags), ["Name", "Purpose", "ManagedBy", "execution"])) == 0
    error_message = "extra_tags must not set Name, Purpose, ManagedBy or execution (resolve-runner and teardown rely on them)."
  }
}
