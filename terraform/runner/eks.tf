# The EKS target (target_kind = "eks", docs/eks.md): this execution's own ARM managed node group in an
# existing cluster. Everything here has count 0 on k3s, so a k3s plan has exactly the resources it always
# had. standby never creates, changes or deletes the cluster: it is a data source.
#
# Access to the cluster is not created here. An IAM principal can be in only one access entry per
# cluster (docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html), and every execution
# runs as the one standby-runner role: a per-execution entry would make a second concurrent execution's
# bringup fail and one execution's teardown revoke another's access. The orchestrator module creates the
# entry and its namespace-scoped policy once (eks.tf there); this module looks it up, so a cluster the
# orchestrator was not applied for is a plan-time error, like the instance profile.

locals {
  eks = var.target_kind == "eks" ? 1 : 0
}

data "aws_eks_cluster" "target" {
  count = local.eks
  name  = var.eks_cluster_name

  lifecycle {
    # Access entries exist only in these authentication modes
    # (docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessConfigRequest.html).
    postcondition {
      condition     = contains(["API", "API_AND_CONFIG_MAP"], self.access_config[0].authentication_mode)
      error_message = "EKS cluster ${var.eks_cluster_name}: authentication mode must be API or API_AND_CONFIG_MAP (access entries enabled); standby reaches the cluster through an access entry (docs/eks.md)."
    }
    postcondition {
      condition     = self.vpc_config[0].vpc_id == data.aws_subnet.runner.vpc_id
      error_message = "EKS cluster ${var.eks_cluster_name} is not in the VPC of subnet_id: the execution's node group is created in the runner's subnet."
    }
  }
}

# The orchestrator's access entry for the runner role (terraform/orchestrator/eks.tf).
data "aws_eks_access_entry" "runner" {
  count         = local.eks
  cluster_name  = data.aws_eks_cluster.target[0].name
  principal_arn = data.aws_iam_instance_profile.runner.role_arn
}

resource "aws_eks_node_group" "execution" {
  count           = local.eks
  cluster_name    = data.aws_eks_cluster.target[0].name
  node_group_name = var.name
  node_role_arn   = var.eks_node_role_arn
  subnet_ids      = [var.subnet_id]
  ami_type        = "AL2023_ARM_64_STANDARD"
  capacity_type   = "ON_DEMAND"
  instance_types  = var.eks_node_instance_types

  scaling_config {
    desired_size = var.eks_node_count
    min_size     = var.eks_node_count
    max_size     = var.eks_node_count
  }

  # The label and taint that pin the restored workloads (and only them) to this execution's nodes.
  labels = {
    "standby.dev/execution" = var.execution_id
  }

  # Nothing else of the cluster lands on these nodes: only pods that tolerate this execution's taint
  # (the restore adds the toleration and the node selector to what it restores).
  taint {
    key    = "standby.dev/execution"
    value  = var.execution_id
    effect = "NO_SCHEDULE"
  }

  tags = local.tags

  # Read first: a cluster without the orchestrator's access entry fails the plan, not the restore.
  depends_on = [data.aws_eks_access_entry.runner]
}
