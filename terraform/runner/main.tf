data "aws_partition" "current" {}

data "aws_subnet" "runner" {
  id = var.subnet_id
}

# Resolved when the instance is first created; ignore_changes on ami below keeps a later AMI release
# from replacing a runner that is in the middle of a restore.
data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

locals {
  pins      = jsondecode(file("${path.module}/../versions.json"))
  partition = data.aws_partition.current.partition

  # resolve-runner and teardown find the runner's resources by exactly these tags.
  tags = merge(var.extra_tags, {
    Name      = var.name
    Purpose   = "standby-dr"
    ManagedBy = "standby"
    execution = var.execution_id
  })

  backup_root = var.backup_prefix == "" ? "backups" : "${var.backup_prefix}/backups"
}

resource "aws_security_group" "runner" {
  name        = "${var.name}-sg"
  description = "standby DR runner: no inbound rules (SSM only), HTTPS out"
  vpc_id      = data.aws_subnet.runner.vpc_id

  egress {
    description = "HTTPS to SSM, S3 and the k3s release download"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.egress_cidr_blocks
  }
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "runner" {
  name               = "${var.name}-role"
  path               = "/standby/"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.runner.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

# The runner reads backups and nothing else: objects under <prefix>/backups/ and a listing of that prefix.
data "aws_iam_policy_document" "backup_read" {
  statement {
    sid       = "ReadBackupObjects"
    actions   = ["s3:GetObject", "s3:GetObjectAttributes"]
    resources = ["arn:${local.partition}:s3:::${var.backup_bucket}/${local.backup_root}/*"]
  }

  statement {
    sid       = "ListBackupPrefix"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.backup_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.backup_root}/*"]
    }
  }

  dynamic "statement" {
    for_each = var.backup_kms_key_arn == null ? [] : [var.backup_kms_key_arn]
    content {
      sid       = "DecryptBackups"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "backup_read" {
  name   = "standby-backup-read"
  role   = aws_iam_role.runner.id
  policy = data.aws_iam_policy_document.backup_read.json
}

resource "aws_iam_instance_profile" "runner" {
  name = "${var.name}-profile"
  path = "/standby/"
  role = aws_iam_role.runner.name
}

resource "aws_instance" "runner" {
  ami                         = data.aws_ssm_parameter.ami.insecure_value
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [aws_security_group.runner.id]
  iam_instance_profile        = aws_iam_instance_profile.runner.name
  associate_public_ip_address = false
  ebs_optimized               = true
  monitoring                  = true

  user_data = templatefile("${path.module}/user-data.sh.tftpl", {
    k3s_version = local.pins.k3s.version
    k3s_sha256  = local.pins.k3s.arm64_sha256
    k3s_url     = "https://github.com/k3s-io/k3s/releases/download/${urlencode(local.pins.k3s.version)}/k3s-arm64"
  })

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    encrypted             = true
    kms_key_id            = var.root_volume_kms_key_arn
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    delete_on_termination = true
    tags                  = local.tags
  }

  tags = local.tags

  lifecycle {
    ignore_changes = [ami]
  }
}
