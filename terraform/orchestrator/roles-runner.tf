# The runner's own role and instance profile, created once here (not per runner): the infra role that
# applies the runner module then only needs iam:PassRole on this one role, and cannot rewrite its trust or
# its policies (which would make it an escalation path to whatever any role in the account can do).

locals {
  runner_role_name = "standby-runner"
}

data "aws_iam_policy_document" "runner_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "runner" {
  name                 = local.runner_role_name
  path                 = "/standby/"
  description          = "standby DR runner (EC2 instance profile): SSM agent, read backups, pull images from ECR"
  assume_role_policy   = data.aws_iam_policy_document.runner_assume.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "runner_ssm_core" {
  role       = aws_iam_role.runner.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

# The runner reads backups and nothing else of the data: objects under <prefix>/backups/ and
# <prefix>/control-plane/ (the optional control-plane pointer and its bundles), and a listing of those.
# It pulls images only from the listed ECR repositories (the digest-pinned validation job and the
# restored workloads); the kubelet's credential provider asks for a fresh token on each pull.
data "aws_iam_policy_document" "runner" {
  statement {
    sid       = "ReadBackupObjects"
    actions   = ["s3:GetObject", "s3:GetObjectAttributes"]
    resources = local.target_backup_objects["backups_control_plane"]
  }
  statement {
    sid       = "ListBackupPrefix"
    actions   = ["s3:ListBucket"]
    resources = local.target_backup_bucket_arns
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = local.target_backup_list_prefixes["backups_control_plane"]
    }
  }
  dynamic "statement" {
    for_each = var.backup_kms_key_arn == null ? [] : [var.backup_kms_key_arn]
    content {
      sid       = "DecryptBackups"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${var.region}.amazonaws.com"]
      }
    }
  }
  dynamic "statement" {
    # GetAuthorizationToken has no resource-level permissions; the token alone reaches no repository.
    for_each = length(var.ecr_repository_arns) == 0 ? [] : ["ecr"]
    content {
      sid       = "EcrLogin"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }
  dynamic "statement" {
    for_each = length(var.ecr_repository_arns) == 0 ? [] : ["ecr"]
    content {
      sid       = "EcrPull"
      actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
      resources = var.ecr_repository_arns
    }
  }
  dynamic "statement" {
    # The EKS target: `aws eks update-kubeconfig` reads the cluster's endpoint and CA; the token kubectl
    # sends is a presigned sts:GetCallerIdentity and needs no permission. Kubernetes access itself is the
    # access entry (eks.tf).
    for_each = local.eks == 1 ? ["eks"] : []
    content {
      sid       = "EksDescribeCluster"
      actions   = ["eks:DescribeCluster"]
      resources = [local.eks_cluster_arn]
    }
  }
}

resource "aws_iam_role_policy" "runner" {
  name   = "standby-runner"
  role   = aws_iam_role.runner.id
  policy = data.aws_iam_policy_document.runner.json
}

resource "aws_iam_instance_profile" "runner" {
  name = local.runner_role_name
  path = "/standby/"
  role = aws_iam_role.runner.name
}
