# region, name, execution_id, expires_at, kind, github_run_id and state_key are injected by bringup for
# every execution (docs/terraform.md): no defaults on purpose, so a plan cannot create a runner without
# an owner, an expiry and a state key. subnet_id and backup_bucket come from STANDBY_TERRAFORM_VARS.
variable "region" {
  description = "AWS region to build the runner in (injected by bringup: the workflow's aws-region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as eu-west-1."
  }
}

variable "account_id" {
  description = "The 12-digit AWS account the runner may be built in (the aws provider's allowed_account_ids). null (the default) leaves it to bringup's account guard (expected-account-id); set it in STANDBY_TERRAFORM_VARS to have Terraform refuse any other account too."
  type        = string
  default     = null

  validation {
    condition     = var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id, or null."
  }
}

variable "name" {
  description = "Name tag of the runner and prefix of its resources; bringup derives it from the execution id (standby-...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,38}[a-z0-9]$", var.name))
    error_message = "name must be 4-40 characters: lowercase letters, digits and '-', starting with a letter."
  }
}

variable "execution_id" {
  description = "DR execution id (drill-<run id>, alarm-<run id>, dr-<run id>), the execution tag: ties the runner to its receipts."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,128}$", var.execution_id))
    error_message = "execution_id may use only A-Z a-z 0-9 . _ - (1-128 characters)."
  }

  # On EKS the id is the value of the node group's label and taint standby.dev/execution: a Kubernetes
  # label value is at most 63 characters, alphanumeric at both ends.
  validation {
    condition     = var.target_kind != "eks" || can(regex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$", var.execution_id))
    error_message = "execution_id must be a Kubernetes label value when target_kind is eks (at most 63 characters, a letter or digit at each end): it labels and taints the execution's node group."
  }
}

variable "expires_at" {
  description = "When the runner shuts itself down (terminates): RFC 3339 UTC such as 2026-11-28T10:00:00Z, the standby-expires-at tag."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", var.expires_at)) && can(timeadd(var.expires_at, "0s"))
    error_message = "expires_at must be an RFC 3339 UTC time with seconds and a Z, e.g. 2026-11-28T10:00:00Z."
  }
}

variable "kind" {
  description = "drill or dr: the standby-kind tag (the expiry watchdog treats an unreadable expiry differently for each)."
  type        = string

  validation {
    condition     = contains(["drill", "dr"], var.kind)
    error_message = "kind must be drill or dr."
  }
}

variable "github_run_id" {
  description = "GitHub run id that created the runner (\"\" for terminal runs, tagged as none): the standby-run-id tag."
  type        = string

  validation {
    condition     = can(regex("^([1-9][0-9]{0,19})?$", var.github_run_id))
    error_message = "github_run_id must be a GitHub run id (digits) or empty."
  }
}

variable "state_key" {
  description = "Terraform state key of this runner (<prefix>/<execution id>.tfstate): the standby-state-key tag the sweeper uses."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", var.state_key)) && length(var.state_key) <= 256 && !strcontains(var.state_key, "..")
    error_message = "state_key must be an S3 key of letters, digits, . _ - and / (at most 256 characters, no '..')."
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
  description = "Where the runner may open HTTPS (443) connections: SSM, S3, ECR, dnf mirrors and the k3s release download (all HTTPS)."
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
  description = "Bucket that holds the backups this runner restores (<prefix>/backups/<backup_id>/...): the backup_uri output. Read access comes from the orchestrator's runner role (its backup_bucket must match)."
  type        = string

  validation {
    # S3's naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), the same as
    # the phases and restore.sh: every case of test/fixtures/backup-uri-cases.json is run through this.
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_bucket)) && !strcontains(var.backup_bucket, "..") && !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.backup_bucket)) && !can(regex("^(xn--|sthree-|amzn-s3-demo-)", var.backup_bucket)) && !can(regex("(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$", var.backup_bucket))
    error_message = "backup_bucket must be a valid S3 bucket name: 3-63 of a-z 0-9 . -, a letter or digit at each end, no '..', not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)."
  }
}

variable "backup_prefix" {
  description = "Key prefix above backups/ (no leading or trailing slash; empty for the bucket root)."
  type        = string
  default     = ""

  validation {
    # '..' inside a segment is a name; a segment that is '.' or '..' is traversal (the backup URI contract).
    condition     = var.backup_prefix == "" || (can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.backup_prefix)) && !can(regex("(^|/)\\.\\.?(/|$)", var.backup_prefix)))
    error_message = "backup_prefix must be S3 key segments (A-Z a-z 0-9 ! _ . * ' ( ) -) separated by '/', without leading/trailing slashes and without '.' or '..' segments."
  }
}

variable "instance_profile_name" {
  description = "Instance profile the runner runs as, created once by the orchestrator module under /standby/ (its role reads backups and pulls from ECR)."
  type        = string
  default     = "standby-runner"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,128}$", var.instance_profile_name))
    error_message = "instance_profile_name must be an IAM instance profile name (1-128 of A-Z a-z 0-9 + = , . @ _ -)."
  }
}

variable "k3s_ready_timeout_seconds" {
  description = "How long user data waits for k3s (on eks: the cluster's API, through the runner's kubeconfig) to answer /readyz before it gives up without writing the ready marker."
  type        = number
  default     = 600

  validation {
    condition     = var.k3s_ready_timeout_seconds >= 60 && var.k3s_ready_timeout_seconds <= 3600 && floor(var.k3s_ready_timeout_seconds) == var.k3s_ready_timeout_seconds
    error_message = "k3s_ready_timeout_seconds must be a whole number between 60 and 3600."
  }
}

variable "extra_tags" {
  description = "More tags for every resource. The shared tag set (Name, Purpose, ManagedBy, execution, standby-*) cannot be overridden; keys must be readable through instance metadata."
  type        = map(string)
  default     = {}

  # With instance_metadata_tags enabled, EC2 refuses to launch an instance whose tag keys contain spaces
  # or '/', or are '.', '..' or '_index' (docs/terraform.md).
  validation {
    condition     = length(setintersection(keys(var.extra_tags), ["Name", "Purpose", "ManagedBy", "execution", "standby-kind", "standby-expires-at", "standby-run-id", "standby-state-key", "standby-target"])) == 0 && alltrue([for key in keys(var.extra_tags) : !startswith(key, "standby-")])
    error_message = "extra_tags must not set Name, Purpose, ManagedBy, execution or any standby-* tag (resolve-runner, teardown, the sweeper and the watchdog rely on them)."
  }

  validation {
    condition     = alltrue([for key in keys(var.extra_tags) : can(regex("^[A-Za-z0-9+=.,_:@-]{1,128}$", key)) && !contains([".", "..", "_index"], key)])
    error_message = "extra_tags keys may use only letters, digits and + - = . , _ : @ (no spaces or '/'), and cannot be '.', '..' or '_index': EC2 refuses such keys when tags are exposed in instance metadata."
  }
}

# The target the restore lands on (docs/eks.md). k3s: k3s on this runner instance itself, as always.
# eks: an existing EKS cluster that standby never creates or deletes; bringup adds this execution's own ARM
# managed node group and an access entry for the runner's role, and the runner instance is the kubectl host.
variable "target" {
  description = "The target (publisher) this execution recovers: the standby-target tag, by which bringup's runner limit (max-runners) counts only the same target's runners. Injected by bringup from the execution's target input; do not set it in STANDBY_TERRAFORM_VARS."
  type        = string
  default     = "default"

  # The same rule as src/targets (parseTargetName); test/fixtures/target-name-cases.json holds the cases.
  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$", var.target))
    error_message = "target must match ^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$ (1-31 characters of a-z 0-9 -, a letter first, no - last)."
  }
}

variable "target_kind" {
  description = "k3s (k3s on the runner instance) or eks (this execution's own ARM node group in the existing cluster eks_cluster_name; the runner is the kubectl host). Injected by bringup from the execution's target-kind input; do not set it in STANDBY_TERRAFORM_VARS. docs/eks.md."
  type        = string
  default     = "k3s"

  validation {
    condition     = contains(["k3s", "eks"], var.target_kind)
    error_message = "target_kind must be k3s or eks."
  }
}

variable "eks_cluster_name" {
  description = "The existing EKS cluster (target_kind eks; required then): looked up, never created, changed or deleted."
  type        = string
  default     = ""

  # EKS cluster names: 1-100 characters, a letter or digit first, then letters, digits, - and _.
  validation {
    condition     = var.eks_cluster_name == "" ? var.target_kind != "eks" : can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.eks_cluster_name))
    error_message = "eks_cluster_name must name the existing EKS cluster when target_kind is eks: 1-100 of A-Z a-z 0-9 - _, starting with a letter or digit."
  }
}

variable "eks_node_instance_types" {
  description = "Instance types of this execution's node group (target_kind eks): ARM Graviton only (a g after the generation digit, e.g. t4g, m7g, c7gn), the AMI type is AL2023_ARM_64_STANDARD."
  type        = list(string)
  default     = ["t4g.large"]

  # Graviton families put a g right after the generation digit (t4g, m6gd, c7gn, r8g, x2gd, im4gn, is4gen);
  # x86 families never do (m7i, m7a, c5n, g5 is NVIDIA on x86). An x86 type cannot boot an ARM AMI.
  validation {
    condition     = length(var.eks_node_instance_types) > 0 && alltrue([for type in var.eks_node_instance_types : can(regex("^[a-z]+[0-9]+g[a-z]*\\.[0-9a-z-]+$", type))])
    error_message = "eks_node_instance_types must be a non-empty list of ARM Graviton instance types (a g after the generation digit, e.g. t4g.large, m7g.xlarge, c7gn.2xlarge): the node group runs AL2023_ARM_64_STANDARD."
  }
}

variable "eks_node_count" {
  description = "Nodes in this execution's node group (target_kind eks): minimum, maximum and desired size alike."
  type        = number
  default     = 1

  validation {
    condition     = var.eks_node_count >= 1 && var.eks_node_count <= 10 && floor(var.eks_node_count) == var.eks_node_count
    error_message = "eks_node_count must be a whole number between 1 and 10."
  }
}

variable "eks_node_role_arn" {
  description = "The node role of the node group (target_kind eks; required then), created once by the orchestrator module under /standby/ (its eks_node_role_arn output); this module creates no IAM."
  type        = string
  default     = ""

  validation {
    condition     = var.eks_node_role_arn == "" ? var.target_kind != "eks" : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/standby/[A-Za-z0-9+=,.@_-]{1,64}$", var.eks_node_role_arn))
    error_message = "eks_node_role_arn must be an IAM role ARN under the path /standby/ (arn:aws:iam::<account>:role/standby/<name>) when target_kind is eks: the infra role may pass only that node role."
  }
}
