# The EKS target's once-per-deployment pieces (docs/eks.md), only with eks_cluster_name set: the node role
# that every execution's node group runs as, and the runner role's access to the cluster. Per execution,
# the runner module adds only a node group (terraform/runner/eks.tf).

locals {
  eks                   = var.eks_cluster_name == "" ? 0 : 1
  eks_cluster_arn       = "arn:${local.partition}:eks:${var.region}:${local.account}:cluster/${var.eks_cluster_name}"
  eks_node_role_name    = "standby-eks-node"
  eks_node_role_arn     = "${local.iam_arn}:role/standby/${local.eks_node_role_name}"
  eks_access_policy_arn = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
  # The application namespaces of the eks targets (every one names its namespace: variables.tf).
  eks_namespaces = sort(distinct([for target in values(local.targets) : target.namespace if target.target_kind == "eks"]))
  # Node group ARNs are nodegroup/<cluster>/<name>/<uuid>; the runner module names them after the runner.
  eks_nodegroup_arns = "arn:${local.partition}:eks:${var.region}:${local.account}:nodegroup/${var.eks_cluster_name}/standby-*/*"
  eks_nodegroup_resource_tags = {
    "aws:ResourceTag/Purpose"   = "standby-dr"
    "aws:ResourceTag/ManagedBy" = "standby"
  }
}

data "aws_iam_policy_document" "eks_node_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# The node role AWS documents (docs.aws.amazon.com/eks/latest/userguide/create-node-role.html): the kubelet
# describes EC2 (AmazonEKSWorkerNodePolicy) and pulls images (AmazonEC2ContainerRegistryPullOnly, pull and
# nothing else of ECR); the VPC CNI needs AmazonEKS_CNI_Policy on the node role unless the cluster gives the
# CNI its own role (IRSA or Pod Identity), which standby cannot know. Created here, under /standby/, so the
# infra role only passes it (iam:PassRole to eks.amazonaws.com) and never creates IAM.
resource "aws_iam_role" "eks_node" {
  count                = local.eks
  name                 = local.eks_node_role_name
  path                 = "/standby/"
  description          = "standby EKS target: node role of the per-execution ARM node groups"
  assume_role_policy   = data.aws_iam_policy_document.eks_node_assume.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "eks_node" {
  for_each   = local.eks == 1 ? toset(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"]) : toset([])
  role       = aws_iam_role.eks_node[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

# One access entry per principal and cluster is all EKS allows, and every execution runs as the one
# runner role: so the entry lives here, once, not with each execution.
resource "aws_eks_access_entry" "runner" {
  count         = local.eks
  cluster_name  = var.eks_cluster_name
  principal_arn = aws_iam_role.runner.arn
  type          = "STANDARD"
}

# AmazonEKSEditPolicy, scoped to the eks targets' application namespaces: what the restore writes there (workloads,
# claims, Services, ConfigMaps, Secrets, the loader pod and its exec). Nothing cluster-scoped, and no
# Roles or RoleBindings (docs/terraform.md, "The EKS target's access").
resource "aws_eks_access_policy_association" "runner" {
  count         = local.eks
  cluster_name  = var.eks_cluster_name
  principal_arn = aws_eks_access_entry.runner[0].principal_arn
  policy_arn    = local.eks_access_policy_arn

  access_scope {
    type       = "namespace"
    namespaces = local.eks_namespaces
  }
}
