# infra: restore-precheck (read-only: the backups and their metadata), then Terraform for the runner module,
# in one job; and the sweeper. Every mutating EC2 action is tied to the
# runner's tags (on create through aws:RequestTag, afterwards through ec2:ResourceTag). Its only IAM write
# is iam:PassRole of the one runner role (created by roles-runner.tf) to EC2: it cannot create roles or
# change any role's trust or policies. State access is limited to the runner state keys
# (<runner_state_key_prefix>/<execution id>.tfstate, its .tflock, and their DynamoDB lock items).

locals {
  runner_request_tags = {
    "aws:RequestTag/Purpose"   = "standby-dr"
    "aws:RequestTag/ManagedBy" = "standby"
  }
  runner_resource_tags = {
    "ec2:ResourceTag/Purpose"   = "standby-dr"
    "ec2:ResourceTag/ManagedBy" = "standby"
  }
  runner_state_objects = "arn:${local.partition}:s3:::${var.state_bucket}/${var.runner_state_key_prefix}/*"
  # The S3 backend's DynamoDB lock items: LockID "<bucket>/<key>" and "<bucket>/<key>-md5".
  runner_lock_ids = "${var.state_bucket}/${var.runner_state_key_prefix}/*"
}

data "aws_iam_policy_document" "infra" {
  statement {
    # State objects and S3-native lock files (<key>.tflock); the sweeper reads and deletes them too.
    sid       = "RunnerStateObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [local.runner_state_objects]
  }
  statement {
    sid       = "ListRunnerState"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.state_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.runner_state_key_prefix}/*"]
    }
  }
  statement {
    sid       = "DescribeLockTable"
    actions   = ["dynamodb:DescribeTable"]
    resources = ["arn:${local.partition}:dynamodb:${var.region}:${local.account}:table/${var.lock_table}"]
  }
  statement {
    # Only the runner states' lock items (the orchestrator's state shares the table).
    sid       = "RunnerStateLocks"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = ["arn:${local.partition}:dynamodb:${var.region}:${local.account}:table/${var.lock_table}"]
    condition {
      test     = "ForAllValues:StringLike"
      variable = "dynamodb:LeadingKeys"
      values   = [local.runner_lock_ids]
    }
    condition {
      test     = "Null"
      variable = "dynamodb:LeadingKeys"
      values   = ["false"]
    }
  }
  statement {
    sid       = "StateEncryption"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.state_kms_key_arn]
  }
  statement {
    # Describe calls have no resource-level permissions; these are the ones the AWS provider makes.
    sid = "ReadEc2"
    actions = [
      "ec2:DescribeInstances",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeInstanceCreditSpecifications",
      "ec2:DescribeVolumes",
      "ec2:DescribeTags",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
      "ec2:DescribeImages",
      "ec2:DescribeAvailabilityZones",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "ReadInstanceAttributes"
    actions   = ["ec2:DescribeInstanceAttribute"]
    resources = ["${local.ec2_arn}:instance/*"]
  }
  statement {
    sid       = "ReadAmiParameter"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:${local.partition}:ssm:${var.region}::parameter/aws/service/*"]
  }
  statement {
    sid     = "RunOnlyTaggedRunners"
    actions = ["ec2:RunInstances"]
    resources = [
      "${local.ec2_arn}:instance/*",
      "${local.ec2_arn}:volume/*",
    ]
    dynamic "condition" {
      for_each = local.runner_request_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
    # No runner without an expiry: the dead-man switch on the instance reads this tag.
    condition {
      test     = "Null"
      variable = "aws:RequestTag/standby-expires-at"
      values   = ["false"]
    }
  }
  statement {
    # The instance statement above is the gate; the ENI RunInstances creates carries no tags of its own.
    sid     = "RunFromImageAndSubnet"
    actions = ["ec2:RunInstances"]
    resources = [
      "arn:${local.partition}:ec2:${var.region}::image/*",
      "${local.ec2_arn}:subnet/*",
      "${local.ec2_arn}:network-interface/*",
    ]
  }
  statement {
    sid       = "RunWithRunnerSecurityGroup"
    actions   = ["ec2:RunInstances"]
    resources = ["${local.ec2_arn}:security-group/*"]
    dynamic "condition" {
      for_each = local.runner_resource_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
  }
  statement {
    sid       = "CreateTaggedSecurityGroup"
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["${local.ec2_arn}:security-group/*"]
    dynamic "condition" {
      for_each = local.runner_request_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
  }
  statement {
    sid       = "CreateSecurityGroupInVpc"
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["${local.ec2_arn}:vpc/*"]
  }
  statement {
    sid     = "TagOnlyWhileCreating"
    actions = ["ec2:CreateTags"]
    resources = [
      "${local.ec2_arn}:instance/*",
      "${local.ec2_arn}:volume/*",
      "${local.ec2_arn}:security-group/*",
    ]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["RunInstances", "CreateSecurityGroup"]
    }
  }
  statement {
    sid = "ManageTaggedRunnerResources"
    actions = [
      "ec2:TerminateInstances",
      "ec2:StopInstances",
      "ec2:StartInstances",
      "ec2:ModifyInstanceAttribute",
      "ec2:ModifyInstanceMetadataOptions",
      "ec2:ModifyVolume",
      "ec2:DeleteSecurityGroup",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:CreateTags",
      "ec2:DeleteTags",
    ]
    resources = [
      "${local.ec2_arn}:instance/*",
      "${local.ec2_arn}:volume/*",
      "${local.ec2_arn}:security-group/*",
    ]
    dynamic "condition" {
      for_each = local.runner_resource_tags
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
  }
  statement {
    sid       = "PassRunnerRoleToEc2"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.runner.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com"]
    }
  }
  statement {
    # The runner module's data source reads the profile; teardown lists leftovers under /standby/.
    sid       = "VerifyTeardown"
    actions   = ["iam:ListInstanceProfiles", "iam:GetInstanceProfile"]
    resources = ["${local.iam_arn}:instance-profile/standby/*"]
  }
  statement {
    # restore-precheck runs as the first step of the infra job (docs/workflows.md): it lists the backups and
    # proves one (HeadObject with checksums, or a streaming GetObject). Read-only, backups only.
    sid       = "PrecheckReadBackups"
    actions   = ["s3:GetObject"]
    resources = local.target_backup_objects["backups"]
  }
  statement {
    sid       = "PrecheckListBackups"
    actions   = ["s3:ListBucket"]
    resources = local.target_backup_bucket_arns
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = local.target_backup_list_prefixes["backups"]
    }
  }
  dynamic "statement" {
    for_each = var.backup_kms_key_arn == null ? [] : [var.backup_kms_key_arn]
    content {
      sid       = "PrecheckDecryptBackups"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${var.region}.amazonaws.com"]
      }
    }
  }
  # The EKS target (eks.tf, docs/eks.md), only with eks_cluster_name: the runner module reads the one
  # cluster and the runner role's access entry, and creates and destroys this execution's node group,
  # tagged like every runner resource and named standby-* (the runner name). Nothing here can change or
  # delete the cluster, touch another cluster or another node group, or grant Kubernetes access.
  dynamic "statement" {
    for_each = local.eks == 1 ? ["eks"] : []
    content {
      sid       = "EksReadCluster"
      actions   = ["eks:DescribeCluster", "eks:ListNodegroups"]
      resources = [local.eks_cluster_arn]
    }
  }
  dynamic "statement" {
    for_each = local.eks == 1 ? ["eks"] : []
    content {
      sid       = "EksReadRunnerAccessEntry"
      actions   = ["eks:DescribeAccessEntry"]
      resources = ["arn:${local.partition}:eks:${var.region}:${local.account}:access-entry/${var.eks_cluster_name}/*"]
    }
  }
  dynamic "statement" {
    for_each = local.eks == 1 ? ["eks"] : []
    content {
      # CreateNodegroup is authorized on the cluster; the request tags are the gate (as RunInstances').
      sid       = "EksCreateTaggedNodegroup"
      actions   = ["eks:CreateNodegroup"]
      resources = [local.eks_cluster_arn]
      dynamic "condition" {
        for_each = local.runner_request_tags
        content {
          test     = "StringEquals"
          variable = condition.key
          values   = [condition.value]
        }
      }
    }
  }
  dynamic "statement" {
    for_each = local.eks == 1 ? ["eks"] : []
    content {
      sid       = "EksTagNodegroupWhileCreating"
      actions   = ["eks:TagResource"]
      resources = [local.eks_nodegroup_arns]
      dynamic "condition" {
        for_each = local.runner_request_tags
        content {
          test     = "StringEquals"
          variable = condition.key
          values   = [condition.value]
        }
      }
    }
  }
  dynamic "statement" {
    for_each = local.eks == 1 ? ["eks"] : []
    content {
      sid       = "EksManageTaggedNodegroups"
      actions   = ["eks:DescribeNodegroup", "eks:DeleteNodegroup", "eks:TagResource", "eks:UntagResource"]
      resources = [local.eks_nodegroup_arns]
      dynamic "condition" {
        for_each = local.eks_nodegroup_resource_tags
        content {
          test     = "StringEquals"
          variable = condition.key
          values   = [condition.value]
        }
      }
    }
  }
  dynamic "statement" {
    for_each = local.eks == 1 ? ["eks"] : []
    content {
      sid       = "PassEksNodeRoleToEks"
      actions   = ["iam:PassRole"]
      resources = [local.eks_node_role_arn]
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["eks.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "infra" {
  name   = "infra"
  role   = aws_iam_role.github["infra"].id
  policy = data.aws_iam_policy_document.infra.json
}
