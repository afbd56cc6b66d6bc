# infra: Terraform for the runner module only. Every mutating EC2 action is tied to the runner's tags
# (on create through aws:RequestTag, afterwards through ec2:ResourceTag); IAM actions name the runner's
# role and instance profile; state access is limited to the runner's state keys.

locals {
  runner_request_tags = {
    "aws:RequestTag/Purpose"   = "standby-dr"
    "aws:RequestTag/ManagedBy" = "standby"
  }
  runner_resource_tags = {
    "ec2:ResourceTag/Purpose"   = "standby-dr"
    "ec2:ResourceTag/ManagedBy" = "standby"
  }
}

data "aws_iam_policy_document" "infra" {
  statement {
    sid       = "RunnerStateObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${local.partition}:s3:::${var.state_bucket}/${var.runner_state_key_prefix}*"]
  }
  statement {
    sid       = "ListRunnerState"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.state_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.runner_state_key_prefix}*"]
    }
  }
  statement {
    sid       = "StateLock"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = ["arn:${local.partition}:dynamodb:${var.region}:${local.account}:table/${var.lock_table}"]
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
      "${local.ec2_arn}:network-interface/*",
    ]
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
    sid     = "RunFromImageAndSubnet"
    actions = ["ec2:RunInstances"]
    resources = [
      "arn:${local.partition}:ec2:${var.region}::image/*",
      "${local.ec2_arn}:subnet/*",
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
      "${local.ec2_arn}:network-interface/*",
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
    sid = "RunnerRole"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:PutRolePolicy",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListRolePolicies",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
    ]
    resources = [local.runner_role]
  }
  statement {
    sid       = "AttachOnlySsmCore"
    actions   = ["iam:AttachRolePolicy"]
    resources = [local.runner_role]
    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = ["arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"]
    }
  }
  statement {
    sid       = "PassRunnerRoleToEc2"
    actions   = ["iam:PassRole"]
    resources = [local.runner_role]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com"]
    }
  }
  statement {
    sid = "RunnerInstanceProfile"
    actions = [
      "iam:CreateInstanceProfile",
      "iam:DeleteInstanceProfile",
      "iam:AddRoleToInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile",
      "iam:TagInstanceProfile",
      "iam:UntagInstanceProfile",
    ]
    resources = [local.runner_profile]
  }
  statement {
    sid       = "VerifyTeardown"
    actions   = ["iam:ListInstanceProfiles", "iam:GetInstanceProfile"]
    resources = ["${local.iam_arn}:instance-profile/standby/*"]
  }
}

resource "aws_iam_role_policy" "infra" {
  name   = "infra"
  role   = aws_iam_role.github["infra"].id
  policy = data.aws_iam_policy_document.infra.json
}
