output "state_bucket" {
  description = "S3 bucket for Terraform state (bringup/teardown input state-bucket)."
  value       = module.state_bucket.id
}

output "lock_table" {
  description = "DynamoDB lock table (bringup/teardown input lock-table)."
  value       = aws_dynamodb_table.lock.name
}

output "region" {
  description = "Region of the backend."
  value       = var.region
}

output "kms_key_arn" {
  description = "KMS key that encrypts the state objects and the lock table."
  value       = aws_kms_key.state.arn
}

output "backend_config" {
  description = "Settings for `terraform init -backend-config=...` in the runner and orchestrator modules (add key per module)."
  value = {
    bucket         = module.state_bucket.id
    region         = var.region
    dynamodb_table = aws_dynamodb_table.lock.name
    kms_key_id     = aws_kms_key.state.arn
    encrypt        = true
    use_lockfile   = true
  }
}
