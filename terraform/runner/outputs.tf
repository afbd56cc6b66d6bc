output "instance_id" {
  description = "EC2 instance id of the runner (bringup output instance-id)."
  value       = aws_instance.runner.id
}

output "runner_name" {
  description = "Name tag of the runner (the name variable bringup derived from the execution id)."
  value       = var.name
}

output "expires_at" {
  description = "standby-expires-at at creation (RFC 3339 UTC); phases that use the runner may extend the tag."
  value       = var.expires_at
}

output "kind" {
  description = "drill or dr (the standby-kind tag)."
  value       = var.kind
}

output "instance_arn" {
  description = "ARN of the runner instance."
  value       = aws_instance.runner.arn
}

output "private_ip" {
  description = "Private address of the runner (it has no public one)."
  value       = aws_instance.runner.private_ip
}

output "availability_zone" {
  description = "Availability zone the runner landed in."
  value       = aws_instance.runner.availability_zone
}

output "instance_type" {
  description = "EC2 instance type of the runner (bringup output instance-type, priced in the drill's cost)."
  value       = aws_instance.runner.instance_type
}

output "root_volume_size_gb" {
  description = "Size of the runner's gp3 root volume in GB (bringup output root-volume-gb, priced in the drill's cost)."
  value       = var.root_volume_size_gb
}

output "ami_id" {
  description = "AMI the runner was created from."
  value       = aws_instance.runner.ami
}

output "security_group_id" {
  description = "Security group of the runner (no inbound rules)."
  value       = aws_security_group.runner.id
}

output "instance_profile_name" {
  description = "Instance profile attached to the runner (created by the orchestrator module)."
  value       = data.aws_iam_instance_profile.runner.name
}

output "role_arn" {
  description = "IAM role of the runner (created by the orchestrator module)."
  value       = data.aws_iam_instance_profile.runner.role_arn
}

output "backup_uri" {
  description = "The backups prefix this runner was built for, s3://<bucket>/<prefix>/backups/ (restore's backup-uri default)."
  value       = "s3://${var.backup_bucket}/${local.backup_root}/"
}

output "k3s_version" {
  description = "k3s version installed by user data (pinned in terraform/versions.json)."
  value       = local.pins.k3s.version
}

output "tags" {
  description = "Tags on every runner resource (resolve-runner, teardown and the sweeper find them by these)."
  value       = local.tags
}

output "target_kind" {
  description = "k3s or eks: where this execution restores (docs/eks.md)."
  value       = var.target_kind
}

output "eks_node_group_name" {
  description = "This execution's node group in the EKS cluster (target_kind eks; empty on k3s)."
  value       = try(aws_eks_node_group.execution[0].node_group_name, "")
}

output "eks_cluster_name" {
  description = "The EKS cluster the runner's kubectl talks to (target_kind eks; empty on k3s)."
  value       = var.target_kind == "eks" ? var.eks_cluster_name : ""
}

output "eks_node_instance_types" {
  description = "Instance types of this execution's node group (target_kind eks; empty on k3s): priced in the drill's cost beside the runner."
  value       = var.target_kind == "eks" ? var.eks_node_instance_types : []
}

output "eks_node_count" {
  description = "Nodes in this execution's node group (target_kind eks; 0 on k3s)."
  value       = var.target_kind == "eks" ? var.eks_node_count : 0
}
