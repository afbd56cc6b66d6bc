output "instance_id" {
  description = "EC2 instance id of the runner (bringup output instance-id)."
  value       = aws_instance.runner.id
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

output "ami_id" {
  description = "AMI the runner was created from."
  value       = aws_instance.runner.ami
}

output "security_group_id" {
  description = "Security group of the runner (no inbound rules)."
  value       = aws_security_group.runner.id
}

output "instance_profile_name" {
  description = "Instance profile attached to the runner."
  value       = aws_iam_instance_profile.runner.name
}

output "role_arn" {
  description = "IAM role of the runner."
  value       = aws_iam_role.runner.arn
}

output "k3s_version" {
  description = "k3s version installed by user data (pinned in terraform/versions.json)."
  value       = local.pins.k3s.version
}

output "tags" {
  description = "Tags resolve-runner and teardown use to find the runner's resources."
  value       = local.tags
}
