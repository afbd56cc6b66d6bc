data "aws_subnet" "runner" {
  id = var.subnet_id
}

# Resolved when the instance is first created; ignore_changes on ami below keeps a later AMI release
# from replacing a runner that is in the middle of a restore.
data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

# The runner role and its instance profile are created once by the orchestrator module (path /standby/);
# this module creates no IAM at all, so the infra role that applies it needs only iam:PassRole on that
# one role. Looking the profile up here turns "orchestrator not applied yet" into a plan-time error.
data "aws_iam_instance_profile" "runner" {
  name = var.instance_profile_name

  lifecycle {
    postcondition {
      condition     = self.path == "/standby/"
      error_message = "Instance profile ${var.instance_profile_name} must have the path /standby/ (the orchestrator module creates it so); the infra role may only pass roles under /standby/."
    }
  }
}

locals {
  pins = jsondecode(file("${path.module}/../versions.json"))

  # The shared tag set (docs/terraform.md): resolve-runner, teardown and the sweeper find a runner's
  # resources by these; the expiry watchdog on the instance reads standby-expires-at and standby-kind;
  # bringup's runner limit counts the runners of the execution's own target by standby-target.
  tags = merge(var.extra_tags, {
    Name                 = var.name
    Purpose              = "standby-dr"
    ManagedBy            = "standby"
    execution            = var.execution_id
    "standby-kind"       = var.kind
    "standby-expires-at" = var.expires_at
    "standby-run-id"     = var.github_run_id == "" ? "none" : var.github_run_id
    "standby-state-key"  = var.state_key
    "standby-target"     = var.target
  })

  backup_root = var.backup_prefix == "" ? "backups" : "${var.backup_prefix}/backups"
}

resource "aws_security_group" "runner" {
  name        = "${var.name}-sg"
  description = "standby DR runner: no inbound rules (SSM only), HTTPS out"
  vpc_id      = data.aws_subnet.runner.vpc_id

  egress {
    description = "HTTPS to SSM, S3, ECR and the k3s release download"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.egress_cidr_blocks
  }
}

resource "aws_instance" "runner" {
  ami                         = data.aws_ssm_parameter.ami.insecure_value
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [aws_security_group.runner.id]
  iam_instance_profile        = data.aws_iam_instance_profile.runner.name
  associate_public_ip_address = false
  ebs_optimized               = true
  monitoring                  = true

  # The dead-man switch: the watchdog in user data runs `shutdown -h now` past standby-expires-at, and
  # an instance-initiated shutdown terminates the instance instead of leaving a stopped one behind.
  instance_initiated_shutdown_behavior = "terminate"

  # Nothing per-run in user data: a re-apply with a new expiry changes tags only, never user data
  # (which would stop and start the instance).
  user_data = templatefile("${path.module}/user-data.sh.tftpl", {
    k3s_version                 = local.pins.k3s.version
    k3s_sha256                  = local.pins.k3s.arm64_sha256
    k3s_url                     = "https://github.com/k3s-io/k3s/releases/download/${urlencode(local.pins.k3s.version)}/k3s-arm64"
    k3s_images_url              = "https://github.com/k3s-io/k3s/releases/download/${urlencode(local.pins.k3s.version)}/k3s-airgap-images-arm64.tar.zst"
    k3s_images_sha256           = local.pins.k3s.airgap_images_arm64_sha256
    k3s_ready_timeout_seconds   = var.k3s_ready_timeout_seconds
    # Per deployment, not per run: on eks the runner is the cluster's kubectl host (docs/eks.md).
    target_kind      = var.target_kind
    eks_cluster_name = var.eks_cluster_name
    region           = var.region
    expiry_watchdog_b64         = base64encode(file("${path.module}/expiry-watchdog.sh"))
    ecr_credential_provider_b64 = base64encode(file("${path.module}/ecr-credential-provider.sh"))
  })

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    # The watchdog reads its own standby-expires-at tag from IMDS (tags/instance/...).
    instance_metadata_tags = "enabled"
  }

  root_block_device {
    encrypted             = true
    kms_key_id            = var.root_volume_kms_key_arn
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    delete_on_termination = true
  }

  # volume_tags (not root_block_device.tags) so the root volume is tagged in the RunInstances call itself:
  # the infra role may only create volumes that carry the runner tags from the start.
  volume_tags = local.tags
  tags        = local.tags

  lifecycle {
    ignore_changes = [ami]

    # The pins in versions.json are checked before anything is created: a malformed hash would only
    # fail on the instance, after the runner exists.
    precondition {
      condition     = can(regex("^[0-9a-f]{64}$", local.pins.k3s.arm64_sha256)) && can(regex("^[0-9a-f]{64}$", local.pins.k3s.airgap_images_arm64_sha256))
      error_message = "terraform/versions.json: k3s.arm64_sha256 and k3s.airgap_images_arm64_sha256 must be lowercase 64-hex sha256 digests (from the release's sha256sum-arm64.txt)."
    }
  }
}
